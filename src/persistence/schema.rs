//! The schema in portable column types only (BigInt, Integer, Text, Bool, Date, Timestamp), so one
//! definition serves both backends. Timestamps are UTC without zone; JSON is stored as text.

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        full_name -> Text,
        email -> Nullable<Text>,
        role -> Text,
        active -> Bool,
        must_change_password -> Bool,
        password_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> BigInt,
        refresh_generation -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        username -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    app_settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        event_type -> Text,
        object_type -> Nullable<Text>,
        object_id -> Nullable<BigInt>,
        ip -> Nullable<Text>,
        details -> Text,
    }
}

diesel::table! {
    citizens (id) {
        id -> BigInt,
        full_name -> Text,
        id_number -> Nullable<Text>,
        date_of_birth -> Nullable<Date>,
        gender -> Nullable<Text>,
        address -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        search_text -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    counters (scope) {
        scope -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        code -> Text,
        kind -> Text,
        round -> Integer,
        parent_id -> Nullable<BigInt>,
        field -> Text,
        locality -> Nullable<Text>,
        locality_norm -> Nullable<Text>,
        title -> Text,
        summary -> Text,
        respondent -> Text,
        search_text -> Text,
        source -> Text,
        forwarded_by -> Nullable<Text>,
        received_at -> Timestamp,
        received_on -> Date,
        status -> Text,
        status_before_suspension -> Nullable<Text>,
        assignee_id -> Nullable<BigInt>,
        created_by -> BigInt,
        group_size -> Integer,
        complex -> Bool,
        very_complex -> Bool,
        remote_area -> Bool,
        multi_site -> Bool,
        central_list -> Bool,
        filed_late -> Bool,
        intake_count -> Integer,
        intake_after_decision -> Bool,
        accepted_on -> Nullable<Date>,
        transferred_on -> Nullable<Date>,
        decided_on -> Nullable<Date>,
        extensions -> Integer,
        outcome -> Nullable<Text>,
        duplicate_of -> Nullable<BigInt>,
        retention_until -> Nullable<Date>,
        due_on -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        split_from -> Nullable<BigInt>,
        processing_due_on -> Nullable<Date>,
        acceptance_due_on -> Nullable<Date>,
        review_due_on -> Nullable<Date>,
        resolution_due_on -> Nullable<Date>,
        reply_due_on -> Nullable<Date>,
        decided_due_on -> Nullable<Date>,
    }
}

diesel::table! {
    case_people (case_id, citizen_id, role) {
        case_id -> BigInt,
        citizen_id -> BigInt,
        role -> Text,
        position -> Integer,
    }
}

diesel::table! {
    visits (id) {
        id -> BigInt,
        year -> Integer,
        register_no -> Integer,
        received_at -> Timestamp,
        mode -> Text,
        officer_id -> BigInt,
        citizen_id -> BigInt,
        group_size -> Integer,
        summary -> Text,
        content_kinds -> Text,
        handled_before_by -> Nullable<Text>,
        outcome -> Text,
        document_no -> Nullable<Text>,
        target_body -> Nullable<Text>,
        refusal_ground -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    visit_representatives (visit_id, citizen_id) {
        visit_id -> BigInt,
        citizen_id -> BigInt,
    }
}

diesel::table! {
    intakes (id) {
        id -> BigInt,
        case_id -> BigInt,
        visit_id -> Nullable<BigInt>,
        channel -> Text,
        received_at -> Timestamp,
        summary -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_events (id) {
        id -> BigInt,
        case_id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        event_type -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        data -> Text,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> BigInt,
        key -> Text,
        fingerprint -> Text,
        status -> Integer,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_suspensions (id) {
        id -> BigInt,
        case_id -> BigInt,
        effective_on -> Date,
        resumed_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    calendar_days (date) {
        date -> Date,
        kind -> Text,
        name -> Text,
    }
}

diesel::table! {
    dialogues (id) {
        id -> BigInt,
        case_id -> BigInt,
        status -> Text,
        scheduled_at -> Timestamp,
        location -> Text,
        chair -> Text,
        held_at -> Nullable<Timestamp>,
        minutes_opinions -> Nullable<Text>,
        minutes_result -> Nullable<Text>,
        minutes_agreed -> Nullable<Text>,
        minutes_disagreed -> Nullable<Text>,
        cancel_reason -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    dialogue_participants (dialogue_id, position) {
        dialogue_id -> BigInt,
        position -> Integer,
        name -> Text,
        role -> Text,
        citizen_id -> Nullable<BigInt>,
        email -> Nullable<Text>,
        attended -> Nullable<Bool>,
        signed -> Nullable<Bool>,
        refusal_reason -> Nullable<Text>,
        absence_reason -> Nullable<Text>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        case_id -> Nullable<BigInt>,
        template -> Text,
        trigger_key -> Text,
        dedupe_key -> Text,
        recipient_user_id -> Nullable<BigInt>,
        recipient_email -> Text,
        recipient_name -> Text,
        confidential_recipient -> Bool,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rule_sets (id) {
        id -> Text,
        in_force_from -> Date,
        format_version -> Integer,
        document -> Text,
        installed_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(case_people -> cases (case_id));
diesel::joinable!(case_people -> citizens (citizen_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(intakes -> cases (case_id));
diesel::joinable!(visit_representatives -> visits (visit_id));
diesel::joinable!(dialogues -> cases (case_id));
diesel::joinable!(dialogue_participants -> dialogues (dialogue_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    login_failures,
    app_settings,
    audit_log,
    citizens,
    counters,
    cases,
    case_people,
    visits,
    visit_representatives,
    intakes,
    case_events,
    idempotency_keys,
    case_suspensions,
    calendar_days,
    rule_sets,
    dialogues,
    dialogue_participants,
    outbox,
);
