//! What `check` reads: the files named on the command line, and every `.toml` file below the
//! directories named, walked in sorted order without following links to directories.

use callcap::Error;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One thing `check` reports on, in the order given (directories: sorted by name, depth first).
pub enum Input {
    /// A file to check (a link to a file is checked as the file).
    File(PathBuf),
    /// Something reported with the reason, as a file that cannot be read is, and not read: a
    /// link to a directory below a directory being walked (not followed), or a directory below
    /// the one walked that could not be read (permissions; every other file is still checked).
    /// Boxed, so that the list of a walk's files holds a path each (24 bytes, not 48).
    Skipped(Box<Skipped>),
}

const _: () = assert!(std::mem::size_of::<Input>() == std::mem::size_of::<PathBuf>());

/// What [`Input::Skipped`] reports.
pub struct Skipped {
    /// The link or the directory.
    pub path: PathBuf,
    /// Why it was not read (for a link: what it points to).
    pub reason: String,
}

impl Input {
    /// The path as the output names it.
    pub fn path(&self) -> &Path {
        match self {
            Input::File(path) => path,
            Input::Skipped(skipped) => &skipped.path,
        }
    }

    /// Whether it is a rate table (a `.csv` or `.xlsx` file named on the command line; a
    /// directory's walk takes only `.toml` files).
    pub fn is_table(&self) -> bool {
        matches!(self, Input::File(p) if callcap::sheet::is_sheet_name(&p.to_string_lossy()))
    }

    fn skipped(path: PathBuf, reason: String) -> Input {
        Input::Skipped(Box::new(Skipped { path, reason }))
    }
}

/// Files named on the command line, and every `.toml` file under directories (sorted by name,
/// depth first). A directory named on the command line is walked even when it is a link; a
/// link to a directory below it is not followed, so a link back up the tree cannot loop. Also
/// returns notes for stderr: the subdirectories that hold no `.toml` file.
pub fn inputs(paths: &[PathBuf]) -> Result<(Vec<Input>, Vec<String>), Error> {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            walk(p, &mut out, &mut notes)?;
            if out.len() == before {
                return Err(Error::file(
                    p.display().to_string(),
                    "no .toml files in this directory",
                ));
            }
        } else if p.exists() {
            out.push(Input::File(p.clone()));
        } else {
            return Err(Error::file(
                p.display().to_string(),
                "no such file or directory",
            ));
        }
    }
    Ok((out, notes))
}

fn walk(dir: &Path, out: &mut Vec<Input>, notes: &mut Vec<String>) -> Result<(), Error> {
    let cannot = |at: &Path, e: &dyn std::fmt::Display| {
        Error::file(
            at.display().to_string(),
            format!("cannot read directory: {e}"),
        )
    };
    let root = dir.canonicalize().map_err(|e| cannot(dir, &e))?;
    // Each subdirectory entered, with whether a .toml file was found below it; and the ones
    // that hold the entry being looked at (indices into `subdirectories`, one per depth).
    let mut subdirectories: Vec<(PathBuf, bool)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for entry in WalkDir::new(dir).sort_by(by_name) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                // An unreadable directory below: reported; the walk goes on with the rest.
                let at = e.path().unwrap_or(dir).to_path_buf();
                if at == dir {
                    return Err(cannot(dir, &e));
                }
                let reason = match e.io_error() {
                    Some(io) => format!("cannot read directory: {io}"),
                    None => format!("cannot read directory: {e}"),
                };
                out.push(Input::skipped(at, reason));
                continue;
            }
        };
        let path = entry.path();
        // (the directory named, even through a link, is walked: it is not an entry of its own)
        if entry.depth() == 0 {
            continue;
        }
        // (depth-first: the directories holding this entry are the first depth - 1 open)
        open.truncate(entry.depth() - 1);
        if entry.file_type().is_dir() {
            open.push(subdirectories.len());
            subdirectories.push((path.to_path_buf(), false));
            continue;
        }
        // A link is followed to see what it points to: a directory is reported, not walked; a
        // file (or nothing: the read then says so) is checked like any other.
        if entry.path_is_symlink() && path.is_dir() {
            out.push(Input::skipped(
                path.to_path_buf(),
                linked_directory(path, &root),
            ));
        } else if path.extension().is_some_and(|e| e == "toml") {
            // (once a directory is marked, so are those holding it)
            for &sub in open.iter().rev() {
                if std::mem::replace(&mut subdirectories[sub].1, true) {
                    break;
                }
            }
            // FIFOs, sockets and devices are refused when read (never opened): see read_limited.
            out.push(Input::File(entry.into_path()));
        }
    }
    for (sub, found) in subdirectories {
        if !found {
            notes.push(format!(
                "{}: no .toml files in this directory",
                sub.display()
            ));
        }
    }
    Ok(())
}

/// Two entries of a directory in the order of their names, as
/// [`walkdir::WalkDir::sort_by_file_name`] orders them, without taking their paths apart into
/// components (a directory of 10,000 files compares names 130,000 times): both paths are the
/// directory's path joined with a name, so they compare as the names do.
fn by_name(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    debug_assert_eq!(a.path().parent(), b.path().parent());
    let (a, b) = (a.path().as_os_str(), b.path().as_os_str());
    a.as_encoded_bytes().cmp(b.as_encoded_bytes())
}

/// Why a link to a directory below `root` (canonical) is not followed, naming its target as
/// the link writes it.
fn linked_directory(link: &Path, root: &Path) -> String {
    let written =
        std::fs::read_link(link).map_or_else(|e| e.to_string(), |t| t.display().to_string());
    let Ok(target) = link.canonicalize() else {
        return format!(
            "a link to a directory that cannot be resolved (`{written}`): not followed"
        );
    };
    let holder = link.parent().and_then(|p| p.canonicalize().ok());
    if holder.is_some_and(|h| h.starts_with(&target)) {
        format!("a link to a directory that holds it (`{written}`): not followed, it would loop")
    } else if target.starts_with(root) {
        format!(
            "a link to a directory inside the one being checked (`{written}`): not followed; its \
             files are checked under their own path"
        )
    } else {
        format!(
            "a link to a directory outside the one being checked (`{written}`): not followed; \
             name it on the command line to check it"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_ordered_by_their_names() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rates");
        let mut seen = 0;
        for parent in WalkDir::new(dir).into_iter().filter_map(Result::ok) {
            if !parent.file_type().is_dir() {
                continue;
            }
            let entries: Vec<_> = WalkDir::new(parent.path())
                .min_depth(1)
                .max_depth(1)
                .into_iter()
                .map(|e| e.expect("rates/ is readable"))
                .collect();
            for a in &entries {
                for b in &entries {
                    assert_eq!(by_name(a, b), a.file_name().cmp(b.file_name()));
                    seen += 1;
                }
            }
        }
        assert!(seen > 100, "{seen} pairs");
    }
}
