use crate::auth::jwt::Jwt;
use crate::metrics::Metrics;
use infra::config::Config;
use infra::db::DbPool;
use infra::redis::Redis;
use infra::wechat::WeChatClient;
use std::sync::Arc;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: DbPool,
    /// A streaming replica for reads that may lag a moment (`DATABASE_READ_URL`); `None`: the primary reads too.
    pub replica: Option<Arc<infra::db::replica::Replica>>,
    pub redis: Arc<Redis>,
    pub jwt: Arc<Jwt>,
    pub metrics: Arc<Metrics>,
    /// The mini-program's WeChat client; `None` when WeChat is not configured.
    pub wechat: Option<Arc<WeChatClient>>,
    /// The SMS provider for sign-in codes; `None` when it is not configured.
    pub sms: Option<Arc<infra::sms::Sms>>,
    /// Where photo bytes go.
    pub store: infra::storage::PhotoStore,
    /// The time deadlines and supervision are judged by.
    pub clock: infra::clock::Clock,
    /// Delivers agency webhooks, only to the destinations the configuration allows.
    pub webhooks: Arc<infra::webhook::Webhooks>,
    /// The process's copy of the calendar, policies, routing rules, agencies and categories.
    pub reference: Arc<infra::db::reference::ReferenceCache>,
    /// What the limits count in this process's memory while Redis is away (`counters`).
    pub local_counts: Arc<infra::local_windows::LocalWindows>,
}
