//! The OpenAPI 3.1 document, generated from the handlers' annotations and the DTO types.

use actix_web::HttpResponse;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{RefOr, Tag};
use utoipa::{Modify, OpenApi};

use crate::domain::vocab;

/// The vocabularies are plain string enums in the document.
macro_rules! vocabulary_schemas {
    ($($t:ty),+ $(,)?) => {
        $(
            impl utoipa::PartialSchema for $t {
                fn schema() -> RefOr<Schema> {
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(<$t>::NAMES.iter().copied()))
                        .into()
                }
            }
            impl utoipa::ToSchema for $t {}
        )+
    };
}

vocabulary_schemas!(
    vocab::Role,
    vocab::CaseKind,
    vocab::CaseStatus,
    vocab::Action,
    vocab::Field,
    vocab::PersonRole,
    vocab::CaseSource,
    vocab::FileReason,
    vocab::ComplaintRejectGround,
    vocab::DenunciationRejectGround,
    vocab::PetitionRejectGround,
    vocab::SuspensionGround,
    vocab::TerminationGround,
    vocab::Outcome,
    vocab::ClockKind,
    vocab::DayUnit,
    vocab::VisitMode,
    vocab::VisitOutcome,
    vocab::DialogueRole,
    vocab::Gender,
);

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.bearer_format = Some("JWT".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
        openapi.tags = Some(
            [
                ("health", "Liveness, readiness, metrics"),
                ("meta", "Vocabularies and this document"),
                ("auth", "Sign-in, tokens, the caller's account"),
                ("users", "Account administration (admins)"),
                ("audit", "The audit log (admins, heads, auditors)"),
            ]
            .into_iter()
            .map(|(name, description)| {
                let mut tag = Tag::new(name);
                tag.description = Some(description.into());
                tag
            })
            .collect(),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tiepdan",
        description = "Case system of a provincial Citizen Reception Board (Ban Tiếp công dân tỉnh). \
            Errors are RFC 9457 problem documents with a stable `code`; lists are cursor-paginated.",
    ),
    paths(
        super::health::healthz,
        super::health::readyz,
        super::health::metrics,
        super::meta::get_meta,
        get_openapi,
        super::auth::login,
        super::auth::refresh,
        super::auth::logout,
        super::auth::get_me,
        super::auth::change_password,
        super::users::list_users,
        super::users::create_user,
        super::users::get_user,
        super::users::update_user,
        super::users::set_user_password,
        super::audit::list_audit,
    ),
    components(schemas(super::error::Problem, super::error::ProblemField, vocab::Role)),
    modifiers(&Security),
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn get_openapi() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
