//! How the stand-ins for outside services (WeChat, the SMS providers) run: an actix-web server on a free loopback
//! port, inside the test's runtime, stopped when dropped.

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpServer};

pub struct StandIn {
    pub url: String,
    handle: ServerHandle,
}

impl StandIn {
    /// Serves the routes `configure` adds, on a free port.
    ///
    /// # Panics
    /// When no port can be bound.
    pub fn serve(configure: impl Fn(&mut web::ServiceConfig) + Send + Clone + 'static) -> Self {
        let server = HttpServer::new(move || App::new().configure(configure.clone()))
            .workers(1)
            .disable_signals()
            .bind(("127.0.0.1", 0))
            .expect("the stand-in binds");
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            url: format!("http://127.0.0.1:{port}"),
            handle,
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}
