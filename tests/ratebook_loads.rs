use callcap::RateBook;
#[test]
fn loads() {
    let b = RateBook::bundled();
    if let Err(e) = &b {
        panic!("{e}");
    }
}
