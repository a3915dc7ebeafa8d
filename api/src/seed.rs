//! `minsheng seed-demo`: a believable county to try the service with (余姚市 in 宁波市, and 北仑区 beside it so that
//! region permissions can be seen at work). Every row is found by its natural key before it is made, so a second
//! run changes nothing and reports the same ids.

use anyhow::Context;
use domain::organisation::region::{NewRegion, RegionCode, RegionLevel, RegionName};
use domain::organisation::station::ReceptionDay;
use domain::role::{DeputyLevel, Role};
use infra::db::stations::StationFields;
use infra::db::users::NewUser;
use infra::db::DbPool;
use infra::db::{AsyncConnection, PgConn};
use serde::Serialize;
use uuid::Uuid;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "minsheng-demo-2026";

const REGIONS: &[(&str, &str, RegionLevel, Option<&str>)] = &[
    ("33", "浙江省", RegionLevel::Province, None),
    ("3302", "宁波市", RegionLevel::City, Some("33")),
    ("330281", "余姚市", RegionLevel::County, Some("3302")),
    ("330281001", "凤山街道", RegionLevel::Township, Some("330281")),
    ("330281001001", "新建社区", RegionLevel::Village, Some("330281001")),
    ("330281001002", "城东社区", RegionLevel::Village, Some("330281001")),
    ("330281002", "阳明街道", RegionLevel::Township, Some("330281")),
    ("330281002001", "舜水社区", RegionLevel::Village, Some("330281002")),
    ("330281002002", "雁湖社区", RegionLevel::Village, Some("330281002")),
    ("330281101", "泗门镇", RegionLevel::Township, Some("330281")),
    ("330281101201", "谢家路村", RegionLevel::Village, Some("330281101")),
    ("330206", "北仑区", RegionLevel::County, Some("3302")),
    ("330206001", "新碶街道", RegionLevel::Township, Some("330206")),
    ("330206001001", "大港社区", RegionLevel::Village, Some("330206001")),
];

const CATEGORIES: &[(&str, &str, Option<&str>)] = &[
    ("road", "道路交通", None),
    ("road_damage", "道路破损", Some("road")),
    ("streetlight", "路灯照明", Some("road")),
    ("parking", "停车管理", Some("road")),
    ("water", "供水排水", None),
    ("water_outage", "停水与水压", Some("water")),
    ("drainage", "排水与内涝", Some("water")),
    ("environment", "生态环境", None),
    ("garbage", "垃圾清运", Some("environment")),
    ("noise", "噪声扰民", Some("environment")),
    ("pollution", "污染排放", Some("environment")),
    ("safety", "安全隐患", None),
    ("fire_safety", "消防安全", Some("safety")),
    ("building_safety", "房屋与设施安全", Some("safety")),
    ("public_order", "社会治安", None),
    ("social_services", "社会保障与公共服务", None),
    ("elderly_care", "养老服务", Some("social_services")),
    ("medical", "医疗卫生", Some("social_services")),
    ("education", "教育", Some("social_services")),
    ("housing", "住房与物业", None),
    ("other", "其他", None),
];

struct StationSeed {
    region: &'static str,
    name: &'static str,
    address: &'static str,
    point: (f64, f64),
    days: &'static [ReceptionDay],
}

const STATIONS: &[StationSeed] = &[
    StationSeed {
        region: "330281001",
        name: "凤山街道人大代表联络站",
        address: "余姚市凤山街道新建北路88号",
        point: (30.0456, 121.1523),
        days: &[ReceptionDay::Week { weekday: 3 }, ReceptionDay::Month { day: 15 }],
    },
    StationSeed {
        region: "330281002",
        name: "阳明街道代表之家",
        address: "余姚市阳明街道舜水南路18号",
        point: (30.0389, 121.1612),
        days: &[ReceptionDay::Week { weekday: 5 }],
    },
    StationSeed {
        region: "330281101",
        name: "泗门镇人大代表联络站",
        address: "余姚市泗门镇振兴路1号",
        point: (30.1167, 121.0167),
        days: &[ReceptionDay::Month { day: 10 }],
    },
    StationSeed {
        region: "330206001",
        name: "新碶街道人大代表联络站",
        address: "宁波市北仑区新碶街道明州路600号",
        point: (29.9042, 121.8442),
        days: &[ReceptionDay::Week { weekday: 2 }],
    },
];

const AGENCIES: &[(&str, &str, &[&str])] = &[
    (
        "330281",
        "余姚市住房和城乡建设局",
        &["road", "road_damage", "streetlight", "housing", "building_safety"],
    ),
    ("330281", "余姚市水利局", &["water", "water_outage", "drainage"]),
    (
        "330281",
        "余姚市综合行政执法局",
        &["environment", "garbage", "noise", "parking"],
    ),
    ("330281", "宁波市生态环境局余姚分局", &["environment", "pollution"]),
    ("330281", "余姚市公安局", &["public_order", "safety"]),
    ("330281", "余姚市民政局", &["social_services", "elderly_care"]),
    ("330281001", "凤山街道办事处", &["other", "garbage", "road_damage"]),
    ("330206", "北仑区住房和城乡建设局", &["road", "road_damage", "housing"]),
];

/// The letters of each county's issue numbers (YY-2026-000123).
const PREFIXES: &[(&str, &str)] = &[("330281", "YY"), ("330206", "BL")];

/// An agency by its region and name.
type AgencyKey = (&'static str, &'static str);

/// Category × region → lead agency (and co-agencies), as triage will be offered them.
const ROUTING: &[(&str, &str, AgencyKey, &[AgencyKey])] = &[
    ("330281", "streetlight", ("330281", "余姚市住房和城乡建设局"), &[]),
    (
        "330281",
        "road_damage",
        ("330281", "余姚市住房和城乡建设局"),
        &[("330281001", "凤山街道办事处")],
    ),
    ("330281", "water_outage", ("330281", "余姚市水利局"), &[]),
    ("330281", "drainage", ("330281", "余姚市水利局"), &[]),
    ("330281", "garbage", ("330281", "余姚市综合行政执法局"), &[]),
    ("330281", "noise", ("330281", "余姚市综合行政执法局"), &[]),
    ("330206", "road_damage", ("330206", "北仑区住房和城乡建设局"), &[]),
];

enum Bind {
    None,
    Region(&'static str),
    Deputy(&'static str, DeputyLevel, &'static [&'static str]),
    Agency(&'static str, &'static str),
}

const ACCOUNTS: &[(Role, &str, &str, Bind)] = &[
    (Role::Admin, "系统管理员", "13900000000", Bind::None),
    (
        Role::Staff,
        "陈晓燕（余姚市人大常委会人代工委）",
        "13900000001",
        Bind::Region("330281"),
    ),
    (
        Role::Staff,
        "周丽（凤山街道人大工委）",
        "13900000002",
        Bind::Region("330281001"),
    ),
    (
        Role::Staff,
        "林志强（北仑区人大常委会）",
        "13900000003",
        Bind::Region("330206"),
    ),
    (
        Role::Deputy,
        "王建国",
        "13900000011",
        Bind::Deputy("330281", DeputyLevel::County, &["凤山街道人大代表联络站"]),
    ),
    (
        Role::Deputy,
        "李秀英",
        "13900000012",
        Bind::Deputy("330281002", DeputyLevel::Township, &["阳明街道代表之家"]),
    ),
    (
        Role::Deputy,
        "张伟",
        "13900000013",
        Bind::Deputy(
            "3302",
            DeputyLevel::City,
            &["凤山街道人大代表联络站", "泗门镇人大代表联络站"],
        ),
    ),
    (
        Role::Deputy,
        "陈海波",
        "13900000014",
        Bind::Deputy("330206", DeputyLevel::County, &["新碶街道人大代表联络站"]),
    ),
    (
        Role::Handler,
        "赵磊",
        "13900000021",
        Bind::Agency("330281", "余姚市住房和城乡建设局"),
    ),
    (
        Role::Handler,
        "钱芳",
        "13900000022",
        Bind::Agency("330281", "余姚市水利局"),
    ),
    (
        Role::Handler,
        "孙强",
        "13900000023",
        Bind::Agency("330281", "余姚市综合行政执法局"),
    ),
    (
        Role::Handler,
        "吴敏",
        "13900000024",
        Bind::Agency("330206", "北仑区住房和城乡建设局"),
    ),
    (
        Role::Handler,
        "郑洁",
        "13900000025",
        Bind::Agency("330281001", "凤山街道办事处"),
    ),
];

#[derive(Debug, Clone, Serialize)]
pub struct SeedReport {
    pub password: &'static str,
    pub accounts: Vec<SeededAccount>,
    pub regions: Vec<Named>,
    pub categories: Vec<Named>,
    pub stations: Vec<SeededStation>,
    pub agencies: Vec<SeededStation>,
    /// What each station's QR code carries, to try `/api/v1/scenes/{scene}` without printing a code.
    pub scenes: Vec<Named>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeededAccount {
    pub id: Uuid,
    pub role: Role,
    pub name: String,
    pub phone: String,
    pub password: &'static str,
    pub region_code: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeededStation {
    pub id: Uuid,
    pub name: String,
    pub region_code: String,
}

impl SeedReport {
    /// The id of the demo station with this name, if seeded.
    #[must_use]
    pub fn station(&self, name: &str) -> Option<Uuid> {
        self.stations.iter().find(|s| s.name == name).map(|s| s.id)
    }

    /// The id of the demo agency with this name, if seeded.
    #[must_use]
    pub fn agency(&self, name: &str) -> Option<Uuid> {
        self.agencies.iter().find(|a| a.name == name).map(|a| a.id)
    }

    /// The id of the demo account with this phone, if seeded.
    #[must_use]
    pub fn account(&self, phone: &str) -> Option<Uuid> {
        self.accounts.iter().find(|a| a.phone == phone).map(|a| a.id)
    }
}

/// Loads the demo county, in one transaction.
///
/// # Errors
/// When the database refuses; nothing is left half-written.
pub async fn seed_demo(pool: &DbPool) -> anyhow::Result<SeedReport> {
    let hash = tokio::task::spawn_blocking(|| infra::password::hash(DEMO_PASSWORD)).await??;
    let mut conn = pool.get().await.context("connecting to PostgreSQL")?;
    conn.transaction::<_, anyhow::Error, _>(async |conn| seed_in(conn, &hash).await)
        .await
}

async fn seed_in(conn: &mut PgConn, hash: &str) -> anyhow::Result<SeedReport> {
    use infra::db::{agencies, categories, regions, stations, users};
    let mut report = SeedReport {
        password: DEMO_PASSWORD,
        accounts: vec![],
        regions: vec![],
        categories: vec![],
        stations: vec![],
        agencies: vec![],
        scenes: vec![],
    };

    for (code, name, level, parent) in REGIONS {
        if regions::find(conn, code).await?.is_none() {
            let parent_row = match parent {
                Some(p) => Some(regions::find(conn, p).await?.context("parent region is seeded first")?),
                None => None,
            };
            let parent_code = parent_row.as_ref().map(|p| RegionCode::parse(&p.code)).transpose()?;
            let parent_level = parent_row
                .as_ref()
                .map(|p| p.level.parse::<RegionLevel>())
                .transpose()?;
            let parent_path = parent_row.as_ref().map(infra::db::regions::RegionRow::path);
            let placed_under = match (&parent_code, parent_level, &parent_path) {
                (Some(c), Some(l), Some(p)) => Some((c, l, p)),
                _ => None,
            };
            let new = NewRegion::place(RegionCode::parse(code)?, RegionName::parse(name)?, *level, placed_under)?;
            regions::insert(conn, &new).await?;
        }
        report.regions.push(Named {
            code: (*code).to_owned(),
            name: (*name).to_owned(),
        });
    }

    for (code, name, parent) in CATEGORIES {
        if categories::find(conn, code).await?.is_none() {
            categories::insert(conn, code, name, *parent, None).await?;
        }
        report.categories.push(Named {
            code: (*code).to_owned(),
            name: (*name).to_owned(),
        });
    }

    for s in STATIONS {
        let row = match stations::find_by_name(conn, s.region, s.name).await? {
            Some(row) => row,
            None => {
                let fields = StationFields {
                    region_code: s.region.to_owned(),
                    name: s.name.to_owned(),
                    address: s.address.to_owned(),
                    latitude: Some(s.point.0),
                    longitude: Some(s.point.1),
                    reception_days: serde_json::to_value(s.days)?,
                    enabled: true,
                };
                stations::insert(conn, Uuid::now_v7(), &fields).await?
            }
        };
        report.stations.push(SeededStation {
            id: row.id,
            name: row.name,
            region_code: row.region_code,
        });
    }

    for (region, name, cats) in AGENCIES {
        let id = match agencies::find_by_name(conn, region, name).await? {
            Some(row) => row.id,
            None => {
                let cats: Vec<String> = cats.iter().map(|c| (*c).to_owned()).collect();
                agencies::insert(conn, Uuid::now_v7(), region, name, &cats)
                    .await?
                    .row
                    .id
            }
        };
        report.agencies.push(SeededStation {
            id,
            name: (*name).to_owned(),
            region_code: (*region).to_owned(),
        });
    }

    for (role, name, phone, bind) in ACCOUNTS {
        let user = match users::find_by_phone(conn, phone).await? {
            Some(row) => row,
            None => {
                let (region_code, agency_id, level, station_names): (
                    Option<&str>,
                    Option<Uuid>,
                    Option<DeputyLevel>,
                    &[&str],
                ) = match bind {
                    Bind::None => (None, None, None, &[]),
                    Bind::Region(r) => (Some(r), None, None, &[]),
                    Bind::Deputy(r, l, s) => (Some(r), None, Some(*l), s),
                    Bind::Agency(r, a) => {
                        let agency = agencies::find_by_name(conn, r, a)
                            .await?
                            .context("agency is seeded first")?;
                        (Some(r), Some(agency.id), None, &[])
                    }
                };
                let mut station_ids = Vec::new();
                for station in station_names {
                    let found = report
                        .stations
                        .iter()
                        .find(|s| s.name == *station)
                        .context("station is seeded first")?;
                    station_ids.push(found.id);
                }
                let new = NewUser {
                    id: Uuid::now_v7(),
                    role: role.as_str(),
                    name,
                    phone: Some(phone),
                    password_hash: Some(hash),
                    region_code,
                    agency_id,
                    deputy_level: level.map(DeputyLevel::as_str),
                };
                users::insert(conn, &new, &station_ids).await?.row
            }
        };
        report.accounts.push(SeededAccount {
            id: user.id,
            role: *role,
            name: user.name,
            phone: (*phone).to_owned(),
            password: DEMO_PASSWORD,
            region_code: user.region_code,
        });
    }
    for (code, prefix) in PREFIXES {
        regions::set_issue_prefix(conn, code, Some(prefix)).await?;
    }
    for (region, category, (lead_region, lead), co) in ROUTING {
        let lead = agencies::find_by_name(conn, lead_region, lead)
            .await?
            .context("agency is seeded first")?
            .id;
        let mut co_ids = Vec::new();
        for (r, name) in *co {
            co_ids.push(
                agencies::find_by_name(conn, r, name)
                    .await?
                    .context("agency is seeded first")?
                    .id,
            );
        }
        infra::db::routing::ensure_rule(conn, region, category, lead, &co_ids).await?;
    }
    for station in &report.stations {
        let scene = infra::db::scenes::ensure(conn, domain::identity::SceneTarget::Station(station.id)).await?;
        report.scenes.push(Named {
            code: scene.as_str().to_owned(),
            name: station.name.clone(),
        });
    }
    Ok(report)
}
