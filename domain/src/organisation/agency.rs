//! Government agencies (承办单位) that handle routed issues.

crate::name_text!(
    /// An agency's name (余姚市住房和城乡建设局).
    AgencyName, "name", 1, 80
);
