//! Why an emulator could not start.

/// An emulator that could not start (or seed its model).
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// The settings are inconsistent.
    #[error("emulator settings: {0}")]
    Config(String),
    /// Binding the listener or writing a file failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The certificate could not be generated or loaded.
    #[error("TLS setup: {0}")]
    Tls(String),
    /// The model could not be seeded from the scenario.
    #[error("model setup: {0}")]
    Model(#[from] sim::runner::SimError),
}
