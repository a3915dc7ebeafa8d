//! Reception days held at a station (选民接待日): what was discussed, how many came, which deputies received them.
//! Each counts toward those deputies' performance (`reception_day`).

pub mod list;
pub mod record;

use chrono::{DateTime, NaiveDate, Utc};
use infra::db::reception_days::ReceptionDayRow;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A reception day held.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reception {
    pub id: Uuid,
    pub station_id: Uuid,
    pub held_on: NaiveDate,
    pub deputy_ids: Vec<Uuid>,
    pub topics: String,
    pub visitors: i32,
    pub recorded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

impl Reception {
    fn of(row: ReceptionDayRow, deputy_ids: Vec<Uuid>) -> Self {
        Reception {
            id: row.id,
            station_id: row.station_id,
            held_on: row.held_on,
            deputy_ids,
            topics: row.topics,
            visitors: row.visitors,
            recorded_by: row.recorded_by,
            created_at: row.created_at,
        }
    }
}
