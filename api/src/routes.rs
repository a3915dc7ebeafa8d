//! Every route, registered once: the server and the OpenAPI document are both built from `configure`,
//! so a route cannot exist without being documented.

use crate::handlers::{
    agencies, auth, ballots, bulletins, calendar, categories, deadline_policies, deadlines, deputies, health, inbox,
    issues, map, me, notifications, outbox, performance, photos, projects, proposals, public, regions, routing_rules,
    scenes, stations, stats, templates, users, webhooks, wechat_push,
};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz::healthz)
        .service(health::readyz::readyz)
        .service(health::metrics::metrics)
        .service(
            scope("/api/v1")
                .service(auth::password::sign_in)
                .service(auth::wechat::sign_in)
                .service(auth::sms_code::send_code)
                .service(auth::sms::sign_in)
                .service(auth::refresh::refresh)
                .service(auth::logout::logout)
                .service(me::get::me)
                .service(me::phone::bind)
                .service(me::export::export)
                .service(me::erase::erase)
                .service(me::filters::list)
                .service(me::filters::save)
                .service(me::filters::remove)
                .service(scenes::get::get)
                .service(scenes::wechat_link::wechat_link)
                .service(map::settings)
                .service(deputies::qrcode::qrcode)
                .service(deputies::voters::followed::followed)
                .service(deputies::voters::follow::follow)
                .service(deputies::voters::unfollow::unfollow)
                .service(deputies::voters::list::voters)
                .service(deputies::voters::write::write)
                .service(performance::read::get)
                .service(performance::entries::enter)
                .service(performance::reviews::self_review::self_review)
                .service(performance::reviews::group_assessment::group_assessment)
                .service(performance::reviews::voter_rating::voter_rating)
                .service(performance::ranking::ranking)
                .service(performance::scheme::get::get)
                .service(performance::scheme::put::put)
                .service(regions::list::list)
                .service(regions::create::create)
                .service(regions::get::get)
                .service(regions::update::update)
                .service(categories::list::list)
                .service(categories::create::create)
                .service(categories::get::get)
                .service(categories::update::update)
                .service(stations::list::list)
                .service(stations::create::create)
                .service(stations::get::get)
                .service(stations::qrcode::qrcode)
                .service(stations::topics::topics)
                .service(stations::receptions::record::record)
                .service(stations::receptions::list::list)
                .service(stations::update::update)
                .service(agencies::list::list)
                .service(agencies::create::create)
                .service(agencies::get::get)
                .service(agencies::update::update)
                .service(users::list::list)
                .service(users::create::create)
                .service(users::get::get)
                .service(users::update::update)
                .service(users::sessions::end)
                .service(photos::upload::upload)
                .service(photos::get::get)
                .service(photos::thumbnail::thumbnail)
                .service(photos::wechat_check::wechat_check)
                .service(wechat_push::verify::verify)
                .service(wechat_push::receive::receive)
                // `nearby` before `{id}`, which would otherwise take it for an id.
                .service(issues::nearby::nearby)
                .service(issues::create::create)
                .service(issues::bulk::bulk)
                .service(issues::list::list)
                .service(issues::get::get)
                .service(issues::timeline::timeline)
                .service(templates::for_issue::for_issue)
                .service(issues::verify::verify)
                .service(issues::comment::comment)
                .service(issues::accept::accept)
                .service(issues::decline::decline)
                .service(issues::merge::merge)
                .service(issues::cosign::cosign)
                .service(issues::join::join)
                .service(issues::route::route)
                .service(issues::sign::sign)
                .service(issues::send_back::send_back)
                .service(issues::progress::progress)
                .service(issues::extensions::request::request)
                .service(issues::extensions::decide::decide)
                .service(issues::reply::reply)
                .service(issues::rate::rate)
                .service(issues::reopen::reopen)
                .service(issues::convert::convert)
                .service(issues::supervise::urge::urge)
                .service(issues::supervise::key_supervision::key_supervision)
                .service(issues::supervise::site_visit::site_visit)
                .service(issues::supervise::follow_up::follow_up)
                .service(issues::publication::withhold::withhold)
                .service(issues::publication::publish::publish)
                .service(calendar::get::get)
                .service(calendar::put::put)
                .service(deadlines::list)
                .service(issues::export::issues)
                .service(deadlines::export::deadlines)
                .service(stats::export::stats)
                .service(notifications::list::list)
                .service(notifications::read::read)
                .service(notifications::subscribe::subscribe)
                .service(notifications::subscriptions::subscriptions)
                .service(webhooks::create::create)
                .service(webhooks::list::list)
                .service(webhooks::remove::remove)
                .service(outbox::list::summary)
                .service(outbox::list::list)
                .service(outbox::retry::retry)
                .service(inbox::inbox)
                // The fixed paths before `{by}`, which would otherwise take them for a breakdown.
                .service(stats::overview::overview)
                .service(stats::trend::trend)
                .service(stats::hotspots::hotspots)
                .service(stats::breakdown::breakdown)
                .service(bulletins::bulletin)
                .service(public::issues::list::list)
                .service(public::issues::get::get)
                .service(ballots::read::list::list)
                .service(ballots::create::create)
                .service(ballots::read::get::get)
                .service(ballots::vote::check_in::check_in)
                .service(ballots::vote::cast::cast)
                .service(ballots::read::receipt::receipt)
                .service(ballots::close::close)
                .service(ballots::evaluate::create)
                .service(ballots::read::results::results)
                .service(projects::read::list::list)
                .service(projects::read::get::get)
                .service(projects::read::reports::reports)
                .service(projects::reports::progress::progress)
                .service(projects::reports::inspection::inspection)
                .service(projects::qrcode::qrcode)
                .service(projects::comments::comment::comment)
                .service(projects::comments::held::held)
                .service(projects::comments::review::review)
                .service(projects::comments::answer::answer)
                .service(projects::comments::issue::issue)
                .service(projects::plan::list::list)
                .service(projects::plan::ask::ask)
                .service(projects::plan::decide::decide)
                .service(projects::money::record)
                .service(projects::place::place)
                .service(projects::timeline::timeline)
                .service(projects::acceptance::completion)
                .service(projects::acceptance::acceptance)
                .service(projects::year_report::year_report)
                .service(projects::comments::rate::rate)
                .service(proposals::rounds::list)
                .service(proposals::rounds::open)
                .service(proposals::rounds::get)
                .service(proposals::rounds::held)
                .service(proposals::propose::propose)
                .service(proposals::support::support)
                .service(proposals::decide::decide)
                .service(public::projects::list::list)
                .service(public::projects::get::get)
                .service(public::projects::comments::comments)
                .service(public::projects::photo::photo)
                .service(categories::areas::list)
                .service(categories::areas::set)
                .service(routing_rules::list::list)
                .service(routing_rules::create::create)
                .service(routing_rules::update::update)
                .service(templates::list::list)
                .service(templates::create::create)
                .service(templates::update::update)
                .service(templates::remove::remove)
                .service(deadline_policies::list::list)
                .service(deadline_policies::put::put),
        );
}

/// Every documented path pattern with its methods, taken from the OpenAPI document (which `routes::configure` builds).
pub struct Routes(Vec<(Vec<String>, Vec<String>)>);

impl Routes {
    #[must_use]
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(pattern, item)| {
                let segments = pattern.trim_matches('/').split('/').map(str::to_owned).collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_owned())
                .collect();
                (segments, methods)
            })
            .collect();
        Self(routes)
    }

    /// The methods of the pattern `path` matches (`{param}` matches any one segment).
    #[must_use]
    pub fn methods_for(&self, path: &str) -> Vec<String> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut methods: Vec<String> = self
            .0
            .iter()
            .filter(|(pattern, _)| {
                pattern.len() == segments.len()
                    && pattern
                        .iter()
                        .zip(&segments)
                        .all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s)
            })
            .flat_map(|(_, m)| m.iter().cloned())
            .collect();
        methods.sort();
        methods.dedup();
        methods
    }
}
