//! Where a cohort's issues are: counts by place and category, and a grid over their locations.

use super::Cohort;
use crate::db::DbError;
use diesel::sql_types::{BigInt, Double, Nullable, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

#[derive(QueryableByName)]
struct GridRow {
    #[diesel(sql_type = Double)]
    cell_row: f64,
    #[diesel(sql_type = Double)]
    cell_col: f64,
    #[diesel(sql_type = BigInt)]
    reported: i64,
    #[diesel(sql_type = Nullable<Text>)]
    top_category: Option<String>,
}

/// A grid cell with issues in it: its centre, how many, and the category reported most there.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub latitude: f64,
    pub longitude: f64,
    pub reported: u64,
    pub top_category: Option<String>,
}

/// The cohort's busiest grid cells (side `latitude_step` degrees of latitude, square on the ground), `limit` at most.
pub async fn cells(
    conn: &mut AsyncPgConnection,
    cohort: &Cohort<'_>,
    latitude_step: f64,
    limit: i64,
) -> Result<Vec<Cell>, DbError> {
    let sql = format!(
        "WITH c AS (SELECT floor(i.latitude / $8) AS cell_row, i.longitude, i.category_code
                      FROM issues i WHERE {} AND i.latitude IS NOT NULL)
         SELECT cell_row, floor(longitude / ($8 / cos(radians((cell_row + 0.5) * $8)))) AS cell_col,
                count(*) AS reported, mode() WITHIN GROUP (ORDER BY category_code) AS top_category
           FROM c GROUP BY 1, 2 ORDER BY reported DESC, 1, 2 LIMIT $9",
        cohort.condition()
    );
    let rows: Vec<GridRow> = cohort
        .bind(sql)
        .bind::<Double, _>(latitude_step)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let latitude = (r.cell_row + 0.5) * latitude_step;
            let width = latitude_step / latitude.to_radians().cos();
            Cell {
                latitude,
                longitude: (r.cell_col + 0.5) * width,
                reported: u64::try_from(r.reported).unwrap_or(0),
                top_category: r.top_category,
            }
        })
        .collect())
}

#[derive(QueryableByName)]
struct PlaceRow {
    #[diesel(sql_type = Text)]
    region_code: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    category_code: Option<String>,
    #[diesel(sql_type = BigInt)]
    reported: i64,
}

/// How many issues each place (the issue's own region: a village, a community, a township) reported, per category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceCount {
    pub region_code: String,
    pub name: String,
    pub category_code: Option<String>,
    pub reported: u64,
}

/// The cohort counted by place and category, most reported first.
pub async fn places(conn: &mut AsyncPgConnection, cohort: &Cohort<'_>) -> Result<Vec<PlaceCount>, DbError> {
    let sql = format!(
        "SELECT i.region_code, r.name, i.category_code, count(*) AS reported
           FROM issues i JOIN regions r ON r.code = i.region_code
          WHERE {}
          GROUP BY 1, 2, 3 ORDER BY reported DESC, 1, 3",
        cohort.condition()
    );
    let rows: Vec<PlaceRow> = cohort.bind(sql).load(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| PlaceCount {
            region_code: r.region_code,
            name: r.name,
            category_code: r.category_code,
            reported: u64::try_from(r.reported).unwrap_or(0),
        })
        .collect())
}
