//! The commands through Tauri's IPC on the mock runtime: names, camelCase arguments, replies
//! and errors serialised as the UI receives them.

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

use crate::{Shared, build_app};

fn invoke(
    window: &WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("a URL"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|r| r.deserialize::<Value>().expect("JSON"))
}

#[test]
fn the_commands_answer_through_ipc_with_views_and_clear_errors() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let shared = Shared::new(dir.path().join("store"), dir.path().join("models"));
    // The real context, so the capabilities and permissions in force are the shipped ones.
    let app = build_app(mock_builder(), tauri::generate_context!(), Some(shared))
        .expect("the app builds on the mock runtime");
    let window =
        WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a window");

    let state = invoke(&window, "app_state", json!({})).expect("app_state");
    assert_eq!(state, json!({ "initialised": false, "unlocked": false, "practitioner": null }));

    let locked = invoke(&window, "today", json!({})).expect_err("locked");
    assert_eq!(locked["kind"], "locked");

    let made = invoke(
        &window,
        "create_store",
        json!({ "practitioner": "Sam Okafor", "passphrase": "a long enough passphrase" }),
    )
    .expect("create_store");
    assert_eq!(made["unlocked"], true);

    let person = invoke(
        &window,
        "add_person",
        json!({ "name": "Joan Platt", "aliases": ["Nan"], "household": "Platt family" }),
    )
    .expect("add_person");
    assert_eq!(person["household"], "Platt family");
    let note = invoke(
        &window,
        "add_note",
        json!({ "subject": person["id"], "text": "Joan had a fall. Her daughter Karen visits daily.", "date": null }),
    )
    .expect("add_note");
    assert_eq!(note["status"], "draft");
    assert!(note["ownWords"].is_array() && note["audioMs"].is_null(), "{note}");

    let today = invoke(&window, "today", json!({})).expect("today");
    assert_eq!(today["drafts"][0]["subjectId"], person["id"]);
    assert_eq!(today["sync"]["safeToClose"], false);

    let refused = invoke(
        &window,
        "review_theme",
        json!({ "noteId": note["id"], "theme": "falls_mobility", "decision": "maybe" }),
    )
    .expect_err("an unknown decision");
    assert!(refused.as_str().is_some_and(|m| m.contains("decision")), "{refused}");

    let wrong = invoke(&window, "lock", json!({}))
        .and_then(|_| invoke(&window, "unlock", json!({ "passphrase": "not it at all" })))
        .expect_err("a wrong passphrase");
    assert_eq!(wrong["kind"], "wrong_passphrase");
    assert!(wrong["message"].as_str().is_some_and(|m| m.ends_with('.')), "{wrong}");
}
