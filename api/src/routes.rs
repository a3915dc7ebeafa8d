//! Every route, registered once: the server and the OpenAPI document are both built from `configure`,
//! so a route cannot exist without being documented.

use crate::handlers::{agencies, auth, categories, health, me, regions, stations, users};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(health::metrics)
        .service(
            scope("/api/v1")
                .service(auth::password::sign_in)
                .service(me::get::me)
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
                .service(stations::update::update)
                .service(agencies::list::list)
                .service(agencies::create::create)
                .service(agencies::get::get)
                .service(agencies::update::update)
                .service(users::list::list)
                .service(users::create::create)
                .service(users::get::get)
                .service(users::update::update),
        );
}
