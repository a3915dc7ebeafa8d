//! `openapi.json` beside this file is the contract client teams build from. The test below fails when the code
//! no longer generates it; `scripts/openapi` (or `minsheng openapi > openapi/openapi.json`) refreshes it.

#[cfg(test)]
mod tests {
    #[test]
    fn the_checked_in_document_is_what_the_code_generates() {
        let generated = api::openapi::document_json().expect("the document serialises");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(path, &generated).expect("openapi.json is writable");
        }
        let checked_in = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "openapi/openapi.json is out of date: run scripts/openapi (or UPDATE_OPENAPI=1 cargo test -p minsheng-openapi)"
        );
    }
}
