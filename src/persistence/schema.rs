//! The schema in portable column types only (BigInt, Integer, Text, Bool, Timestamp), so one
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

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(audit_log -> users (actor_id));
diesel::allow_tables_to_appear_in_same_query!(users, sessions, login_failures, app_settings, audit_log);
