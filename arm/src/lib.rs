#![warn(missing_docs)]
//! georestore's Azure Resource Manager protocol layer, sans-IO.
//!
//! The single place that knows how ARM is spoken: which request each step
//! becomes (method, resource path, api-version, JSON body) and what each
//! answer means (201/202 + `Azure-AsyncOperation`/`Location` +
//! `Retry-After`, operation status bodies, 429 and the
//! `x-ms-ratelimit-remaining-*` headers, error codes, `nextLink` paging).
//! The simulator's model, the emulator and the driver all use it, so the
//! three worlds cannot drift apart.
//!
//! No sockets, no clock, no randomness: every function is a pure function
//! of its arguments, and every type is `Clone + Debug + PartialEq + Send +
//! Sync` (requests, responses and outcomes are also serde types, for the
//! driver's journal).
//!
//! - [`id`]: typed resource ids, rendered as ARM paths and parsed back ([`Route`]);
//! - [`api_version`]: the api-version of each provider;
//! - [`request`]: [`Request`] constructors for every call a recovery makes;
//! - [`body`]: serde types in Azure's JSON shapes;
//! - [`response`], [`headers`]: [`Response`], [`Headers`], `Retry-After`;
//! - [`outcome`], [`lro`], [`error`]: [`interpret`], [`interpret_poll`],
//!   [`classify`] and the error [`codes`];
//! - [`paging`]: `nextLink` and `$skipToken` pages.
//!
//! ```
//! use arm::{Outcome, Request, Response, ServerId, interpret, lro::PollKind};
//! use arm::body::Database;
//!
//! let prod = ServerId::new("sub", "prod-rg", "tenants1");
//! let rec = ServerId::new("sub", "recovery-rg", "tenants1-recovery");
//! let body = Database::geo_restore(
//!     "westeurope",
//!     &prod.recoverable_database("contoso"),
//!     Some(&rec.elastic_pool("pool1")),
//! );
//! let request = Request::put_database(&rec.database("contoso"), body);
//! assert_eq!(request.api_version(), Some("2023-08-01"));
//!
//! let answer = Response::from_wire(
//!     202,
//!     [("Azure-AsyncOperation", "https://management.azure.com/x?api-version=2023-08-01"),
//!      ("Retry-After", "10")],
//!     "",
//! );
//! let Outcome::Accepted { poll } = interpret(&request, &answer) else { unreachable!() };
//! assert_eq!(poll.kind, PollKind::AsyncOperation);
//! assert_eq!(poll.retry_after_ms, Some(10_000));
//! ```

pub mod api_version;
pub mod body;
pub mod error;
pub mod headers;
pub mod id;
pub mod lro;
pub mod outcome;
pub mod paging;
pub mod request;
pub mod response;
mod string_enum;

pub use error::{ErrorClass, classify, codes};
pub use headers::{Headers, RateLimits, parse_retry_after};
pub use id::{
    Action, DatabaseId, DnsAliasId, ElasticPoolId, EndpointId, EndpointType, IdError,
    OperationStatusId, ProfileId, RecoverableDatabaseId, ReplicationLinkId, Resource,
    ResourceGroupId, Route, ServerFarmId, ServerId, SiteId, StatusKind,
};
pub use lro::{PollKind, PollOutcome, PollTarget, interpret_poll};
pub use outcome::{Outcome, interpret, interpret_lazily, resource_url};
pub use request::{ArmClass, Method, Request, RequestBody};
pub use response::{Payload, Response, ResponseBody, SharedDatabases};

#[cfg(test)]
mod tests {
    fn assert_traits<T: Send + Sync + Clone + std::fmt::Debug + PartialEq>() {}
    fn assert_serde<T: serde::Serialize + serde::de::DeserializeOwned>() {}

    #[test]
    fn public_types_are_send_sync_clone_debug_partialeq() {
        use crate::*;
        assert_traits::<Request>();
        assert_traits::<RequestBody>();
        assert_traits::<Response>();
        assert_traits::<Payload>();
        assert_traits::<Outcome>();
        assert_traits::<PollOutcome>();
        assert_traits::<PollTarget>();
        assert_traits::<Headers>();
        assert_traits::<Resource>();
        assert_traits::<Route>();
        assert_traits::<body::Database>();
        assert_traits::<body::List<body::Database>>();
        assert_traits::<body::DatabasePage>();
        assert_serde::<Request>();
        assert_serde::<Response>();
        assert_serde::<Outcome>();
        assert_serde::<PollOutcome>();
        assert_serde::<PollTarget>();
        assert_serde::<Resource>();
        assert_serde::<ErrorClass>();
        assert_serde::<body::DatabasePage>();
    }
}
