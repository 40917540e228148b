//! A JSON body extractor whose rejections are JSON errors like every other
//! API error, instead of axum's plain-text ones.

use crate::error::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;

/// `Json<T>` with JSON errors: 400 for broken JSON, 415 without a JSON
/// content type, 422 for JSON of the wrong shape.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

/// Rejection of [`ApiJson`].
#[derive(Debug)]
pub struct ApiJsonRejection {
    status: StatusCode,
    message: String,
}

impl IntoResponse for ApiJsonRejection {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message, "code": "invalid_request" });
        (self.status, Json(body)).into_response()
    }
}

impl From<AppError> for ApiJsonRejection {
    fn from(err: AppError) -> Self {
        ApiJsonRejection {
            status: StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::BAD_REQUEST),
            message: err.to_string(),
        }
    }
}

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiJsonRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                let (status, message) = match &rejection {
                    JsonRejection::JsonDataError(e) => (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("The JSON body has the wrong shape: {}", e.body_text()),
                    ),
                    JsonRejection::JsonSyntaxError(e) => (
                        StatusCode::BAD_REQUEST,
                        format!("The body is not valid JSON: {}", e.body_text()),
                    ),
                    JsonRejection::MissingJsonContentType(_) => (
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        "Send the body as JSON with Content-Type: application/json.".to_string(),
                    ),
                    other => (other.status(), other.body_text()),
                };
                Err(ApiJsonRejection { status, message })
            }
        }
    }
}
