//! Where photo bytes live: one interface over a local folder (the embedded default) and S3-compatible object storage
//! (the provincial cloud's OSS/COS/OBS, Ceph RGW, MinIO), so that a photo uploaded through one instance is read
//! through any other. A write returns only once the store has the whole object under its final name — on disk, or
//! acknowledged by the object store — so a photo acknowledged to a client survives a crash, and readers never see
//! half of one. Reads are streamed: a picture is never held whole in the service's memory.

use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::ObjectStoreExt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

#[derive(Debug, Clone)]
pub enum PhotoStore {
    Local(PathBuf),
    S3(S3Store),
}

/// A bucket (and a prefix in it) of S3-compatible storage.
#[derive(Debug, Clone)]
pub struct S3Store {
    store: Arc<object_store::aws::AmazonS3>,
    prefix: String,
    /// How long a presigned link to a picture holds; `None`: pictures are streamed through the service.
    presign: Option<Duration>,
}

/// A stored picture on its way out: its length and its bytes as they arrive.
pub struct Stored {
    pub size: u64,
    pub body: BoxStream<'static, io::Result<Bytes>>,
}

/// How a picture is handed to its reader.
pub enum Delivery {
    /// Streamed through the service.
    Stream(Stored),
    /// A presigned link to the object store, which the reader follows (a redirect).
    Link(String),
}

impl PhotoStore {
    /// # Errors
    /// When the S3 settings cannot make a client (a malformed endpoint).
    pub fn from_config(storage: &crate::config::Storage) -> anyhow::Result<Self> {
        Ok(match storage {
            crate::config::Storage::Local(root) => PhotoStore::Local(root.clone()),
            crate::config::Storage::S3(s3) => PhotoStore::S3(S3Store::new(s3)?),
        })
    }

    /// Stores `bytes` under `key` (a relative path like `ab/abcd….jpg`). Locally: written to a temporary file,
    /// flushed to disk, then renamed into place. In S3: one PUT, which the store makes visible whole or not at all.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> io::Result<()> {
        match self {
            PhotoStore::Local(root) => {
                let path = safe_join(root, key)?;
                let dir = path.parent().map_or_else(|| root.clone(), Path::to_path_buf);
                tokio::fs::create_dir_all(&dir).await?;
                let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
                let mut file = tokio::fs::File::create(&tmp).await?;
                file.write_all(&bytes).await?;
                file.sync_all().await?;
                drop(file);
                tokio::fs::rename(&tmp, &path).await?;
                // The rename itself must reach the disk too.
                if let Ok(d) = tokio::fs::File::open(&dir).await {
                    let _ = d.sync_all().await;
                }
                Ok(())
            }
            PhotoStore::S3(s3) => {
                s3.store.put(&s3.path(key)?, bytes.into()).await.map_err(store_error)?;
                Ok(())
            }
        }
    }

    /// The picture under `key`, streamed; `NotFound` when there is none.
    pub async fn get(&self, key: &str) -> io::Result<Stored> {
        match self {
            PhotoStore::Local(root) => {
                let file = tokio::fs::File::open(safe_join(root, key)?).await?;
                let size = file.metadata().await?.len();
                Ok(Stored {
                    size,
                    body: tokio_util::io::ReaderStream::new(file).boxed(),
                })
            }
            PhotoStore::S3(s3) => {
                let got = s3.store.get(&s3.path(key)?).await.map_err(store_error)?;
                Ok(Stored {
                    size: got.meta.size,
                    body: got.into_stream().map_err(store_error).boxed(),
                })
            }
        }
    }

    /// How the picture under `key` reaches a reader who may see it: a presigned link when the store gives them,
    /// otherwise its bytes.
    pub async fn deliver(&self, key: &str) -> io::Result<Delivery> {
        if let PhotoStore::S3(s3) = self {
            if let Some(valid) = s3.presign {
                use object_store::signer::Signer;
                let url = s3
                    .store
                    .signed_url(reqwest::Method::GET, &s3.path(key)?, valid)
                    .await
                    .map_err(store_error)?;
                return Ok(Delivery::Link(url.to_string()));
            }
        }
        self.get(key).await.map(Delivery::Stream)
    }
}

impl S3Store {
    fn new(s3: &crate::config::S3) -> anyhow::Result<Self> {
        use object_store::aws::AmazonS3Builder;
        use object_store::{BackoffConfig, ClientOptions, RetryConfig};
        use secrecy::ExposeSecret;
        // A store that is down must be a prompt 503, not a request held for the library's default three minutes
        // of retries: two more tries within five seconds, then the error.
        let retry = RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: 2,
            retry_timeout: Duration::from_secs(5),
        };
        let options = ClientOptions::new()
            .with_allow_http(s3.endpoint.as_deref().is_some_and(|e| e.starts_with("http://")))
            .with_connect_timeout(Duration::from_secs(2))
            .with_timeout(Duration::from_secs(30));
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&s3.bucket)
            .with_region(&s3.region)
            .with_access_key_id(&s3.access_key_id)
            .with_secret_access_key(s3.secret_access_key.expose_secret())
            .with_virtual_hosted_style_request(!s3.path_style)
            .with_retry(retry)
            .with_client_options(options);
        if let Some(endpoint) = s3.endpoint_url() {
            builder = builder.with_endpoint(endpoint);
        }
        Ok(Self {
            store: Arc::new(builder.build()?),
            prefix: s3.prefix.clone(),
            presign: s3.presign,
        })
    }

    fn path(&self, key: &str) -> io::Result<object_store::path::Path> {
        check_key(key)?;
        let full = if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}/{key}", self.prefix)
        };
        object_store::path::Path::parse(full).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    }
}

/// The store's error as an I/O error: a missing object is `NotFound`, like a missing file.
fn store_error(e: object_store::Error) -> io::Error {
    match e {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, e),
        other => io::Error::other(other),
    }
}

/// Keys are made by the service, but a key that climbs out of the root is refused all the same.
fn check_key(key: &str) -> io::Result<()> {
    if key.is_empty() || key.starts_with('/') || key.split('/').any(|p| p == ".." || p.is_empty()) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad storage key"));
    }
    Ok(())
}

fn safe_join(root: &Path, key: &str) -> io::Result<PathBuf> {
    check_key(key)?;
    Ok(root.join(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a stored picture whole (the service streams it).
    async fn read_all(stored: Stored) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(usize::try_from(stored.size).unwrap_or(0));
        let mut body = stored.body;
        while let Some(chunk) = body.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    #[tokio::test]
    async fn a_put_is_read_back_and_keys_cannot_escape() {
        let root = std::env::temp_dir().join(format!("minsheng-store-{}", uuid::Uuid::new_v4()));
        let store = PhotoStore::Local(root.clone());
        store.put("ab/one.jpg", b"bytes".to_vec()).await.expect("put");
        let stored = store.get("ab/one.jpg").await.expect("get");
        assert_eq!(stored.size, 5);
        assert_eq!(read_all(stored).await.expect("read"), b"bytes");
        assert!(store.get("../etc/passwd").await.is_err());
        assert_eq!(
            store.get("ab/none.jpg").await.err().map(|e| e.kind()),
            Some(io::ErrorKind::NotFound)
        );
        let _ = std::fs::remove_dir_all(root);
    }
}
