//! Runs the app on a listener until a shutdown future completes, letting requests in flight
//! finish. The binary passes [`shutdown_signal`]; tests bind `127.0.0.1:0` and pass a channel.

use std::future::Future;
use std::io;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::app::{AppState, router};
use crate::store::Backend;

pub async fn serve<B: Backend>(
    listener: TcpListener,
    state: AppState<B>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    // With each connection's peer address: registration is rate limited by it.
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// Completes on SIGINT or SIGTERM (Ctrl-C elsewhere). The handlers are installed when this is
/// called, so a signal that arrives before the future is polled still counts.
pub fn shutdown_signal() -> io::Result<impl Future<Output = ()> + Send> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = terminate.recv() => tracing::info!("SIGTERM: shutting down"),
                _ = interrupt.recv() => tracing::info!("SIGINT: shutting down"),
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            if tokio::signal::ctrl_c().await.is_ok() {
                tracing::info!("Ctrl-C: shutting down");
            }
        })
    }
}
