//! `callcap`: the command-line tool. It parses arguments, reads files, calls the core library
//! and prints what it returns; it computes no prices and judges no compliance itself.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
