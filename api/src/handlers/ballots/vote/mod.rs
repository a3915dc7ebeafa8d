//! Voting in two requests that nothing joins. Checking in (signed in, on the roster) gets a blinded token signed;
//! casting (not signed in) brings the unblinded token, its signature and the choices. The service sees who checked in
//! and, separately, which papers came; the blinding keeps it from telling which paper was whose.

pub mod cast;
pub mod check_in;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use domain::Invalid;

fn base64_field(raw: &str, field: &str) -> Result<Vec<u8>, Invalid> {
    STANDARD
        .decode(raw.trim())
        .map_err(|_| Invalid::new(field, "malformed", "must be base64"))
}
