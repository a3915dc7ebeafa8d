// @generated automatically by Diesel CLI.

diesel::table! {
    agencies (id) {
        id -> Uuid,
        region_code -> Text,
        name -> Text,
        enabled -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        contact_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    agency_categories (agency_id, category_code) {
        agency_id -> Uuid,
        category_code -> Text,
    }
}

diesel::table! {
    ballot_papers (ballot_id, token_hash) {
        ballot_id -> Uuid,
        token_hash -> Bytea,
        choices -> Array<Uuid>,
        receipt_hash -> Bytea,
    }
}

diesel::table! {
    ballot_papers_held (ballot_id, token_hash) {
        ballot_id -> Uuid,
        token_hash -> Bytea,
        choices -> Array<Uuid>,
        receipt_hash -> Bytea,
    }
}

diesel::table! {
    ballot_roster (ballot_id, deputy_id) {
        ballot_id -> Uuid,
        deputy_id -> Uuid,
        blinded_hash -> Nullable<Bytea>,
    }
}

diesel::table! {
    ballots (id) {
        id -> Uuid,
        region_code -> Text,
        title -> Text,
        session -> Text,
        seats -> Int4,
        threshold_num -> Int4,
        threshold_den -> Int4,
        opens_at -> Timestamptz,
        closes_at -> Timestamptz,
        public_key -> Text,
        signing_key -> Bytea,
        roster_size -> Int4,
        created_by -> Uuid,
        created_at -> Timestamptz,
        closed_at -> Nullable<Timestamptz>,
        cast_papers -> Nullable<Int4>,
        open_seats -> Nullable<Int4>,
        kind -> Text,
        rectify_days -> Nullable<Int4>,
    }
}

diesel::table! {
    calendar_days (day) {
        day -> Date,
        kind -> Text,
        name -> Nullable<Text>,
    }
}

diesel::table! {
    calendar_years (year) {
        year -> Int4,
        source -> Text,
        updated_by -> Nullable<Uuid>,
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
        region_code -> Nullable<Text>,
    }
}

diesel::table! {
    category_areas (region_code, category_code) {
        region_code -> Text,
        category_code -> Text,
        offered -> Bool,
        name -> Nullable<Text>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    cosigns (issue_id, user_id) {
        issue_id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    deadline_policies (id) {
        id -> Uuid,
        region_code -> Nullable<Text>,
        category_code -> Nullable<Text>,
        policy -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    deadlines (id) {
        id -> Uuid,
        issue_id -> Nullable<Uuid>,
        stage -> Text,
        round -> Int2,
        agency_id -> Nullable<Uuid>,
        started_at -> Timestamptz,
        due_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
        outcome -> Nullable<Text>,
        warn_at -> Timestamptz,
        next_step -> Nullable<Text>,
        next_at -> Nullable<Timestamptz>,
        milestone_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    deputy_stations (user_id, station_id) {
        user_id -> Uuid,
        station_id -> Uuid,
    }
}

diesel::table! {
    deputy_voters (deputy_id, voter_id) {
        deputy_id -> Uuid,
        voter_id -> Uuid,
        since -> Timestamptz,
    }
}

diesel::table! {
    evaluated_projects (ballot_id, project_id) {
        ballot_id -> Uuid,
        project_id -> Uuid,
        position -> Int4,
        satisfied -> Nullable<Int4>,
        basically -> Nullable<Int4>,
        dissatisfied -> Nullable<Int4>,
        passed -> Nullable<Bool>,
    }
}

diesel::table! {
    extensions (id) {
        id -> Uuid,
        issue_id -> Uuid,
        round -> Int2,
        agency_id -> Uuid,
        requested_by -> Uuid,
        days -> Int2,
        unit -> Text,
        reason -> Text,
        decision -> Nullable<Text>,
        decided_by -> Nullable<Uuid>,
        decided_at -> Nullable<Timestamptz>,
        decision_note -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

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
    issue_agencies (issue_id, agency_id) {
        issue_id -> Uuid,
        agency_id -> Uuid,
        routed_at -> Timestamptz,
    }
}

diesel::table! {
    issue_events (issue_id, seq) {
        issue_id -> Uuid,
        seq -> Int4,
        kind -> Text,
        actor_id -> Nullable<Uuid>,
        actor_role -> Nullable<Text>,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        note -> Nullable<Text>,
        internal -> Bool,
        data -> Text,
        at -> Timestamptz,
        prev_hash -> Bytea,
        hash -> Bytea,
    }
}

diesel::table! {
    issue_joins (issue_id, user_id) {
        issue_id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    issue_numbers (prefix, year) {
        prefix -> Text,
        year -> Int4,
        last -> Int8,
    }
}

diesel::table! {
    issue_tallies (whole_month, day, region_path, category_code, agency_id) {
        whole_month -> Bool,
        day -> Date,
        region_path -> Text,
        category_code -> Text,
        agency_id -> Uuid,
        reported -> Int4,
        accepted -> Int4,
        declined -> Int4,
        merged -> Int4,
        routed -> Int4,
        replied -> Int4,
        replied_a -> Int4,
        replied_b -> Int4,
        replied_c -> Int4,
        solved_on_the_spot -> Int4,
        converted -> Int4,
        closed -> Int4,
        due_for_reply -> Int4,
        replied_on_time -> Int4,
        rated -> Int4,
        satisfied -> Int4,
        reopened -> Int4,
        joins -> Int4,
    }
}

diesel::table! {
    issue_tally_times (whole_month, day, region_path, category_code, agency_id, stage, days) {
        whole_month -> Bool,
        day -> Date,
        region_path -> Text,
        category_code -> Text,
        agency_id -> Uuid,
        stage -> Text,
        days -> Float4,
        issues -> Int4,
    }
}

diesel::table! {
    issues (id) {
        id -> Uuid,
        number -> Text,
        region_code -> Text,
        region_path -> Text,
        station_id -> Nullable<Uuid>,
        deputy_id -> Nullable<Uuid>,
        reporter_id -> Uuid,
        reporter_role -> Text,
        anonymous -> Bool,
        title -> Nullable<Text>,
        description -> Text,
        category_code -> Nullable<Text>,
        latitude -> Nullable<Float8>,
        longitude -> Nullable<Float8>,
        address -> Nullable<Text>,
        status -> Text,
        level -> Nullable<Text>,
        complex -> Bool,
        lead_agency_id -> Nullable<Uuid>,
        co_agency_ids -> Array<Uuid>,
        round -> Int2,
        reply_category -> Nullable<Text>,
        pending_extension -> Bool,
        extension_used -> Bool,
        converted_at -> Nullable<Timestamptz>,
        merged_into -> Nullable<Uuid>,
        rating -> Nullable<Text>,
        needs_review -> Bool,
        last_seq -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        closed_at -> Nullable<Timestamptz>,
        accepted_at -> Nullable<Timestamptz>,
        routed_at -> Nullable<Timestamptz>,
        signed_at -> Nullable<Timestamptz>,
        replied_at -> Nullable<Timestamptz>,
        sign_days -> Nullable<Float4>,
        reply_days -> Nullable<Float4>,
        replied_same_day -> Bool,
        reply_late -> Nullable<Bool>,
        agency_due_at -> Nullable<Timestamptz>,
        agency_warn_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    key_supervisions (issue_id) {
        issue_id -> Uuid,
        marked_by -> Uuid,
        marked_at -> Timestamptz,
    }
}

diesel::table! {
    milestones (id) {
        id -> Uuid,
        project_id -> Uuid,
        position -> Int4,
        title -> Text,
        planned_on -> Date,
        done_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        user_id -> Uuid,
        issue_id -> Nullable<Uuid>,
        kind -> Text,
        event_key -> Text,
        title -> Text,
        body -> Text,
        created_at -> Timestamptz,
        read_at -> Nullable<Timestamptz>,
        project_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Uuid,
        channel -> Text,
        user_id -> Nullable<Uuid>,
        webhook_id -> Nullable<Uuid>,
        issue_id -> Nullable<Uuid>,
        kind -> Text,
        event_key -> Text,
        payload -> Jsonb,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    performance_entries (id) {
        id -> Uuid,
        deputy_id -> Uuid,
        year -> Int4,
        item -> Text,
        points -> Int4,
        source -> Text,
        occurred_on -> Date,
        entered_by -> Uuid,
        entered_at -> Timestamptz,
    }
}

diesel::table! {
    performance_reviews (deputy_id, year, kind) {
        deputy_id -> Uuid,
        year -> Int4,
        kind -> Text,
        score -> Int2,
        comment -> Text,
        author_id -> Uuid,
        at -> Timestamptz,
    }
}

diesel::table! {
    performance_schemes (region_code) {
        region_code -> Text,
        scheme -> Jsonb,
        updated_by -> Uuid,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    photos (id) {
        id -> Uuid,
        owner_id -> Uuid,
        issue_id -> Nullable<Uuid>,
        sha256 -> Text,
        content_type -> Text,
        width -> Int4,
        height -> Int4,
        size_bytes -> Int4,
        created_at -> Timestamptz,
        report_id -> Nullable<Uuid>,
        check_trace_id -> Nullable<Text>,
        check_verdict -> Nullable<Text>,
        spending_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    plan_changes (id) {
        id -> Uuid,
        project_id -> Uuid,
        kind -> Text,
        milestone_id -> Nullable<Uuid>,
        title -> Nullable<Text>,
        planned_on -> Nullable<Date>,
        reason -> Text,
        asked_by -> Uuid,
        asked_at -> Timestamptz,
        decision -> Nullable<Text>,
        decision_note -> Nullable<Text>,
        decided_by -> Nullable<Uuid>,
        decided_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    project_comments (id) {
        id -> Uuid,
        project_id -> Uuid,
        author_id -> Uuid,
        body -> Text,
        needs_review -> Bool,
        created_at -> Timestamptz,
        answer -> Nullable<Text>,
        answered_by -> Nullable<Uuid>,
        answered_at -> Nullable<Timestamptz>,
        issue_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    project_events (project_id, seq) {
        project_id -> Uuid,
        seq -> Int4,
        kind -> Text,
        actor_id -> Nullable<Uuid>,
        actor_role -> Nullable<Text>,
        note -> Nullable<Text>,
        data -> Text,
        at -> Timestamptz,
        prev_hash -> Bytea,
        hash -> Bytea,
    }
}

diesel::table! {
    project_ratings (project_id, rater_id) {
        project_id -> Uuid,
        rater_id -> Uuid,
        stars -> Int2,
        rated_at -> Timestamptz,
    }
}

diesel::table! {
    project_reports (id) {
        id -> Uuid,
        project_id -> Uuid,
        kind -> Text,
        author_id -> Uuid,
        note -> Text,
        percent -> Nullable<Int2>,
        milestone_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    project_spending (id) {
        id -> Uuid,
        project_id -> Uuid,
        kind -> Text,
        on_date -> Date,
        amount_yuan -> Int8,
        note -> Text,
        recorded_by -> Uuid,
        recorded_at -> Timestamptz,
    }
}

diesel::table! {
    projects (id) {
        id -> Uuid,
        ballot_id -> Uuid,
        position -> Int4,
        title -> Text,
        summary -> Text,
        agency_id -> Uuid,
        budget_yuan -> Int8,
        votes -> Nullable<Int4>,
        outcome -> Nullable<Text>,
        elected_rank -> Nullable<Int4>,
        events -> Int4,
        latitude -> Nullable<Float8>,
        longitude -> Nullable<Float8>,
        address -> Nullable<Text>,
        delivery -> Nullable<Text>,
        delivery_note -> Nullable<Text>,
        delivery_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    proposal_rounds (id) {
        id -> Uuid,
        region_code -> Text,
        year -> Int4,
        title -> Text,
        ask -> Text,
        opens_at -> Timestamptz,
        closes_at -> Timestamptz,
        created_by -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    proposal_supports (proposal_id, user_id) {
        proposal_id -> Uuid,
        user_id -> Uuid,
        at -> Timestamptz,
    }
}

diesel::table! {
    proposals (id) {
        id -> Uuid,
        round_id -> Uuid,
        author_id -> Uuid,
        author_role -> Text,
        title -> Text,
        body -> Text,
        reason -> Text,
        status -> Text,
        merged_into -> Nullable<Uuid>,
        project_id -> Nullable<Uuid>,
        decision_note -> Nullable<Text>,
        decided_at -> Nullable<Timestamptz>,
        supporters -> Int4,
        needs_review -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ratings (id) {
        id -> Uuid,
        issue_id -> Uuid,
        round -> Int2,
        rater_id -> Uuid,
        rater_role -> Text,
        rating -> Text,
        comment -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    reception_day_deputies (reception_day_id, deputy_id) {
        reception_day_id -> Uuid,
        deputy_id -> Uuid,
    }
}

diesel::table! {
    reception_days (id) {
        id -> Uuid,
        station_id -> Uuid,
        held_on -> Date,
        topics -> Text,
        visitors -> Int4,
        recorded_by -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    reference_version (one) {
        one -> Bool,
        version -> Int8,
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

diesel::table! {
    regions (code) {
        code -> Text,
        name -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
        path -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        issue_prefix -> Nullable<Text>,
        tally_path -> Text,
    }
}

diesel::table! {
    routing_rules (id) {
        id -> Uuid,
        region_code -> Text,
        category_code -> Text,
        lead_agency_id -> Uuid,
        co_agency_ids -> Array<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    saved_filters (id) {
        id -> Uuid,
        user_id -> Uuid,
        screen -> Text,
        name -> Text,
        query -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    scans (user_id, scene_code) {
        user_id -> Uuid,
        scene_code -> Text,
        first_at -> Timestamptz,
        last_at -> Timestamptz,
    }
}

diesel::table! {
    scenes (code) {
        code -> Text,
        station_id -> Nullable<Uuid>,
        deputy_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        project_id -> Nullable<Uuid>,
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
    sms_codes (phone_hash) {
        phone_hash -> Bytea,
        code_hash -> Bytea,
        sent_at -> Timestamptz,
        expires_at -> Timestamptz,
        attempts -> Int4,
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
    templates (id) {
        id -> Uuid,
        region_code -> Text,
        agency_id -> Nullable<Uuid>,
        category_code -> Nullable<Text>,
        kind -> Text,
        title -> Text,
        body -> Text,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
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
    voter_ratings (deputy_id, year, voter_id) {
        deputy_id -> Uuid,
        year -> Int4,
        voter_id -> Uuid,
        stars -> Int2,
        rated_at -> Timestamptz,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Uuid,
        agency_id -> Uuid,
        url -> Text,
        secret -> Text,
        enabled -> Bool,
        created_by -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    wechat_subscriptions (user_id, template_id) {
        user_id -> Uuid,
        template_id -> Text,
        credits -> Int4,
        refused_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    withholdings (issue_id) {
        issue_id -> Uuid,
        reason -> Text,
        withheld_by -> Uuid,
        withheld_at -> Timestamptz,
    }
}

diesel::joinable!(agencies -> regions (region_code));
diesel::joinable!(agency_categories -> agencies (agency_id));
diesel::joinable!(agency_categories -> categories (category_code));
diesel::joinable!(ballot_papers -> ballots (ballot_id));
diesel::joinable!(ballot_papers_held -> ballots (ballot_id));
diesel::joinable!(ballot_roster -> ballots (ballot_id));
diesel::joinable!(ballot_roster -> users (deputy_id));
diesel::joinable!(ballots -> regions (region_code));
diesel::joinable!(ballots -> users (created_by));
diesel::joinable!(calendar_years -> users (updated_by));
diesel::joinable!(categories -> regions (region_code));
diesel::joinable!(category_areas -> categories (category_code));
diesel::joinable!(category_areas -> regions (region_code));
diesel::joinable!(cosigns -> issues (issue_id));
diesel::joinable!(cosigns -> users (user_id));
diesel::joinable!(deadline_policies -> categories (category_code));
diesel::joinable!(deadline_policies -> regions (region_code));
diesel::joinable!(deadlines -> agencies (agency_id));
diesel::joinable!(deadlines -> issues (issue_id));
diesel::joinable!(deadlines -> milestones (milestone_id));
diesel::joinable!(deputy_stations -> stations (station_id));
diesel::joinable!(deputy_stations -> users (user_id));
diesel::joinable!(evaluated_projects -> ballots (ballot_id));
diesel::joinable!(evaluated_projects -> projects (project_id));
diesel::joinable!(extensions -> agencies (agency_id));
diesel::joinable!(extensions -> issues (issue_id));
diesel::joinable!(idempotency_keys -> users (user_id));
diesel::joinable!(issue_agencies -> agencies (agency_id));
diesel::joinable!(issue_agencies -> issues (issue_id));
diesel::joinable!(issue_events -> issues (issue_id));
diesel::joinable!(issue_events -> users (actor_id));
diesel::joinable!(issue_joins -> issues (issue_id));
diesel::joinable!(issue_joins -> users (user_id));
diesel::joinable!(issues -> agencies (lead_agency_id));
diesel::joinable!(issues -> categories (category_code));
diesel::joinable!(issues -> regions (region_code));
diesel::joinable!(issues -> stations (station_id));
diesel::joinable!(key_supervisions -> issues (issue_id));
diesel::joinable!(key_supervisions -> users (marked_by));
diesel::joinable!(milestones -> projects (project_id));
diesel::joinable!(notifications -> issues (issue_id));
diesel::joinable!(notifications -> projects (project_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(outbox -> issues (issue_id));
diesel::joinable!(outbox -> users (user_id));
diesel::joinable!(outbox -> webhooks (webhook_id));
diesel::joinable!(performance_schemes -> regions (region_code));
diesel::joinable!(performance_schemes -> users (updated_by));
diesel::joinable!(photos -> issues (issue_id));
diesel::joinable!(photos -> project_reports (report_id));
diesel::joinable!(photos -> project_spending (spending_id));
diesel::joinable!(photos -> users (owner_id));
diesel::joinable!(plan_changes -> milestones (milestone_id));
diesel::joinable!(plan_changes -> projects (project_id));
diesel::joinable!(project_comments -> issues (issue_id));
diesel::joinable!(project_comments -> projects (project_id));
diesel::joinable!(project_events -> projects (project_id));
diesel::joinable!(project_events -> users (actor_id));
diesel::joinable!(project_ratings -> projects (project_id));
diesel::joinable!(project_ratings -> users (rater_id));
diesel::joinable!(project_reports -> milestones (milestone_id));
diesel::joinable!(project_reports -> projects (project_id));
diesel::joinable!(project_reports -> users (author_id));
diesel::joinable!(project_spending -> projects (project_id));
diesel::joinable!(project_spending -> users (recorded_by));
diesel::joinable!(projects -> agencies (agency_id));
diesel::joinable!(projects -> ballots (ballot_id));
diesel::joinable!(proposal_rounds -> regions (region_code));
diesel::joinable!(proposal_rounds -> users (created_by));
diesel::joinable!(proposal_supports -> proposals (proposal_id));
diesel::joinable!(proposal_supports -> users (user_id));
diesel::joinable!(proposals -> projects (project_id));
diesel::joinable!(proposals -> proposal_rounds (round_id));
diesel::joinable!(proposals -> users (author_id));
diesel::joinable!(ratings -> issues (issue_id));
diesel::joinable!(ratings -> users (rater_id));
diesel::joinable!(reception_day_deputies -> reception_days (reception_day_id));
diesel::joinable!(reception_day_deputies -> users (deputy_id));
diesel::joinable!(reception_days -> stations (station_id));
diesel::joinable!(reception_days -> users (recorded_by));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(routing_rules -> agencies (lead_agency_id));
diesel::joinable!(routing_rules -> categories (category_code));
diesel::joinable!(routing_rules -> regions (region_code));
diesel::joinable!(saved_filters -> users (user_id));
diesel::joinable!(scans -> scenes (scene_code));
diesel::joinable!(scans -> users (user_id));
diesel::joinable!(scenes -> projects (project_id));
diesel::joinable!(scenes -> stations (station_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(stations -> regions (region_code));
diesel::joinable!(templates -> agencies (agency_id));
diesel::joinable!(templates -> categories (category_code));
diesel::joinable!(templates -> regions (region_code));
diesel::joinable!(templates -> users (created_by));
diesel::joinable!(users -> regions (region_code));
diesel::joinable!(webhooks -> agencies (agency_id));
diesel::joinable!(webhooks -> users (created_by));
diesel::joinable!(wechat_subscriptions -> users (user_id));
diesel::joinable!(withholdings -> issues (issue_id));
diesel::joinable!(withholdings -> users (withheld_by));

diesel::allow_tables_to_appear_in_same_query!(
    agencies,
    agency_categories,
    ballot_papers,
    ballot_papers_held,
    ballot_roster,
    ballots,
    calendar_days,
    calendar_years,
    categories,
    category_areas,
    cosigns,
    deadline_policies,
    deadlines,
    deputy_stations,
    deputy_voters,
    evaluated_projects,
    extensions,
    idempotency_keys,
    issue_agencies,
    issue_events,
    issue_joins,
    issue_numbers,
    issue_tallies,
    issue_tally_times,
    issues,
    key_supervisions,
    milestones,
    notifications,
    outbox,
    performance_entries,
    performance_reviews,
    performance_schemes,
    photos,
    plan_changes,
    project_comments,
    project_events,
    project_ratings,
    project_reports,
    project_spending,
    projects,
    proposal_rounds,
    proposal_supports,
    proposals,
    ratings,
    reception_day_deputies,
    reception_days,
    reference_version,
    refresh_tokens,
    regions,
    routing_rules,
    saved_filters,
    scans,
    scenes,
    sessions,
    sms_codes,
    stations,
    templates,
    users,
    voter_ratings,
    webhooks,
    wechat_subscriptions,
    withholdings,
);
