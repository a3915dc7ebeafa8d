//! Where photo bytes live: one interface, a local folder today (S3-compatible storage can join as another variant
//! without its callers changing). A write returns only once the bytes are on disk under their final name, so a
//! photo acknowledged to a client survives a crash.

use std::io;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

#[derive(Debug, Clone)]
pub enum PhotoStore {
    Local(PathBuf),
}

impl PhotoStore {
    #[must_use]
    pub fn from_config(storage: &crate::config::Storage) -> Self {
        match storage {
            crate::config::Storage::Local(root) => PhotoStore::Local(root.clone()),
        }
    }

    /// Stores `bytes` under `key` (a relative path like `ab/abcd….jpg`): written to a temporary file, flushed to disk,
    /// then renamed into place, so readers never see half a file.
    pub async fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        match self {
            PhotoStore::Local(root) => {
                let path = safe_join(root, key)?;
                let dir = path.parent().map_or_else(|| root.clone(), Path::to_path_buf);
                tokio::fs::create_dir_all(&dir).await?;
                let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
                let mut file = tokio::fs::File::create(&tmp).await?;
                file.write_all(bytes).await?;
                file.sync_all().await?;
                drop(file);
                tokio::fs::rename(&tmp, &path).await?;
                // The rename itself must reach the disk too.
                if let Ok(d) = tokio::fs::File::open(&dir).await {
                    let _ = d.sync_all().await;
                }
                Ok(())
            }
        }
    }

    /// The bytes under `key`; `NotFound` when there are none.
    pub async fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        match self {
            PhotoStore::Local(root) => tokio::fs::read(safe_join(root, key)?).await,
        }
    }

    /// Whether the store can be written (for readiness).
    pub async fn check(&self) -> io::Result<()> {
        match self {
            PhotoStore::Local(root) => tokio::fs::create_dir_all(root).await,
        }
    }
}

/// Keys are made by the service, but a key that climbs out of the root is refused all the same.
fn safe_join(root: &Path, key: &str) -> io::Result<PathBuf> {
    if key.is_empty() || key.starts_with('/') || key.split('/').any(|p| p == ".." || p.is_empty()) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad storage key"));
    }
    Ok(root.join(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_put_is_read_back_and_keys_cannot_escape() {
        let root = std::env::temp_dir().join(format!("minsheng-store-{}", uuid::Uuid::new_v4()));
        let store = PhotoStore::Local(root.clone());
        store.put("ab/one.jpg", b"bytes").await.expect("put");
        assert_eq!(store.get("ab/one.jpg").await.expect("get"), b"bytes");
        assert!(store.get("../etc/passwd").await.is_err());
        assert_eq!(
            store.get("ab/none.jpg").await.map_err(|e| e.kind()),
            Err(io::ErrorKind::NotFound)
        );
        let _ = std::fs::remove_dir_all(root);
    }
}
