// Mirrors migrations/ (what `diesel print-schema` would write); keep the two in step.

diesel::table! {
    regions (code) {
        code -> Text,
        name -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
        path -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    categories (code) {
        code -> Text,
        name -> Text,
        parent_code -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    stations (id) {
        id -> Uuid,
        region_code -> Text,
        name -> Text,
        address -> Text,
        latitude -> Nullable<Float8>,
        longitude -> Nullable<Float8>,
        reception_days -> Jsonb,
        enabled -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    agencies (id) {
        id -> Uuid,
        region_code -> Text,
        name -> Text,
        enabled -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    agency_categories (agency_id, category_code) {
        agency_id -> Uuid,
        category_code -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        role -> Text,
        name -> Text,
        phone -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        region_code -> Nullable<Text>,
        agency_id -> Nullable<Uuid>,
        deputy_level -> Nullable<Text>,
        enabled -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        openid -> Nullable<Text>,
        unionid -> Nullable<Text>,
        scene_code -> Nullable<Text>,
        scene_at -> Nullable<Timestamptz>,
        erased_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    deputy_stations (user_id, station_id) {
        user_id -> Uuid,
        station_id -> Uuid,
    }
}

diesel::joinable!(stations -> regions (region_code));
diesel::joinable!(agencies -> regions (region_code));
diesel::joinable!(agency_categories -> agencies (agency_id));
diesel::joinable!(agency_categories -> categories (category_code));
diesel::joinable!(users -> agencies (agency_id));
diesel::joinable!(users -> regions (region_code));
diesel::joinable!(deputy_stations -> users (user_id));
diesel::joinable!(deputy_stations -> stations (station_id));

diesel::allow_tables_to_appear_in_same_query!(
    regions,
    categories,
    stations,
    agencies,
    agency_categories,
    users,
    deputy_stations,
    scenes,
    sessions,
    refresh_tokens
);

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Uuid,
        key -> Text,
        request_hash -> Text,
        status -> Nullable<Int2>,
        content_type -> Nullable<Text>,
        location -> Nullable<Text>,
        body -> Nullable<Bytea>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    scenes (code) {
        code -> Text,
        station_id -> Nullable<Uuid>,
        deputy_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        method -> Text,
        created_at -> Timestamptz,
        refreshed_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        revoked_why -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (hash) {
        hash -> Bytea,
        session_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(scenes -> stations (station_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
