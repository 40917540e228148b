//! Test support shipped with the app: a mock OpenAI-compatible provider used
//! by the integration tests, the browser tests and the benchmarks.

pub mod mock_provider;
