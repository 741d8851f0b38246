//! What `check` reads: the files named on the command line, and every `.toml` file below the
//! directories named, walked in sorted order without following links to directories.

use callcap::Error;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One thing `check` reports on, in the order given (directories: sorted by name, depth first).
pub enum Input {
    /// A file to check (a link to a file is checked as the file).
    File(PathBuf),
    /// A link to a directory below a directory being walked: not followed, and reported with
    /// the reason, as a file that cannot be read is.
    LinkedDirectory {
        /// The link.
        path: PathBuf,
        /// Why it was not followed, and what it points to.
        reason: String,
    },
}

impl Input {
    /// The path as the output names it.
    pub fn path(&self) -> &Path {
        match self {
            Input::File(path) | Input::LinkedDirectory { path, .. } => path,
        }
    }
}

/// Files named on the command line, and every `.toml` file under directories (sorted by name,
/// depth first). A directory named on the command line is walked even when it is a link; a
/// link to a directory below it is not followed, so a link back up the tree cannot loop.
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Error> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            walk(p, &mut out)?;
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
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> Result<(), Error> {
    let cannot = |at: &Path, e: &dyn std::fmt::Display| {
        Error::file(
            at.display().to_string(),
            format!("cannot read directory: {e}"),
        )
    };
    let root = dir.canonicalize().map_err(|e| cannot(dir, &e))?;
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| match e.io_error() {
            Some(io) => cannot(e.path().unwrap_or(dir), io),
            None => cannot(e.path().unwrap_or(dir), &e),
        })?;
        let path = entry.path();
        // (the directory named, even through a link, is walked: it is not an entry of its own)
        if entry.depth() == 0 || entry.file_type().is_dir() {
            continue;
        }
        // A link is followed to see what it points to: a directory is reported, not walked; a
        // file (or nothing: the read then says so) is checked like any other.
        if entry.path_is_symlink() && path.is_dir() {
            out.push(Input::LinkedDirectory {
                path: path.to_path_buf(),
                reason: linked_directory(path, &root),
            });
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(Input::File(entry.into_path()));
        }
    }
    Ok(())
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
