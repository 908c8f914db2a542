//! `regiosync evaluation correct` and `withdraw`, and `submit` of a file already filed, as a
//! person runs them: what each prints, what the node then shows (`show`, `list`, `list
//! --withdrawn`), and the refusals in one line naming what to do.
use regiosync_testkit::{vr, TestFed};
use regiosync_trust::Identity;

use crate::json::example;
use crate::{json_of, ok, stderr, Person};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_evaluation_is_corrected_withdrawn_and_never_filed_twice() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let n1 = t.fed.node(vr(1)).url();
    let op = Person::of(&t, Identity::operator(vr(1), "alice"));
    let example = example("evaluation.toml");
    let submit = ["evaluation", "submit", example.as_str(), "--status", "actual"];

    let first = json_of(&op.run(&n1, &[&["--json"][..], &submit].concat()).await);
    let id = first["id"].as_str().unwrap().to_string();
    assert_eq!(first["already_filed"], false, "{first}");
    // The same file again: the record held, nothing new.
    let again = ok(&op.run(&n1, &submit).await, "submit again");
    assert!(
        again.contains(&format!("already filed: the evaluation of 'Zeer grote brand opslagloods Eemshaven' (14 Sep 2026) with this content is record {id}; nothing new was stored")),
        "{again}"
    );
    assert!(
        again.contains(&format!("regiosync evaluation correct {id} --file")),
        "{again}"
    );

    // A corrected file: alerting had major challenges after all.
    let dir = tempfile::tempdir().unwrap();
    let fixed = dir.path().join("corrected.toml");
    let text = std::fs::read_to_string(&example).unwrap();
    let text = text.replacen(
        "rating = \"P\"\nnote = \"Alarmering binnen de normtijd.\"",
        "rating = \"M\"\nnote = \"Alarmering ruim buiten de normtijd.\"",
        1,
    );
    assert!(
        text.contains("Alarmering ruim buiten"),
        "the example changed: fix this test"
    );
    std::fs::write(&fixed, text).unwrap();
    let fixed = fixed.display().to_string();
    let out = ok(
        &op.run(&n1, &["evaluation", "correct", &id, "--file", &fixed]).await,
        "correct",
    );
    let new_id = out
        .split("the current version is now record ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no new record id in: {out}"))
        .to_string();
    assert!(
        out.starts_with(&format!(
            "corrected evaluation {id} of 'Zeer grote brand opslagloods Eemshaven'"
        )),
        "{out}"
    );

    // The old version says what replaced it; the list holds the evaluation once.
    let old = ok(&op.run(&n1, &["evaluation", "show", &id]).await, "show the old version");
    assert!(old.contains(&format!("SUPERSEDED by {new_id}")), "{old}");
    assert!(old.contains(&format!("{id} -> {new_id} (oldest first)")), "{old}");
    let list = json_of(&op.run(&n1, &["--json", "evaluation", "list"]).await);
    let listed = list["evaluations"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{list}");
    assert_eq!(listed[0]["record"]["id"], new_id.as_str(), "{list}");
    assert_eq!(listed[0]["state"], "current", "{list}");

    // The same correction run again is the correction held; another correction of the old
    // version is refused, naming the current one.
    let again = ok(
        &op.run(&n1, &["evaluation", "correct", &id, "--file", &fixed]).await,
        "correct again",
    );
    assert!(
        again.contains(&format!("with this content is record {new_id}; nothing new was stored")),
        "{again}"
    );
    let other = dir.path().join("other.toml");
    let text = std::fs::read_to_string(&fixed)
        .unwrap()
        .replacen("ruim buiten", "buiten", 1);
    std::fs::write(&other, text).unwrap();
    let other = other.display().to_string();
    let refused = op.run(&n1, &["evaluation", "correct", &id, "--file", &other]).await;
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains(&format!(
            "evaluation {id} was corrected by {new_id}; correct or withdraw its current version {new_id}"
        )),
        "{}",
        stderr(&refused)
    );

    // Withdrawn: out of the list, shown with its reason when asked for.
    let out = ok(
        &op.run(
            &n1,
            &[
                "evaluation",
                "withdraw",
                &new_id,
                "--reason",
                "filed for the wrong incident",
            ],
        )
        .await,
        "withdraw",
    );
    assert!(
        out.starts_with(&format!("withdrew evaluation {new_id} of VR01")),
        "{out}"
    );
    assert!(out.contains("counts nowhere"), "{out}");
    let list = ok(&op.run(&n1, &["evaluation", "list"]).await, "list");
    assert!(list.contains("0 evaluations"), "{list}");
    let list = ok(
        &op.run(&n1, &["evaluation", "list", "--withdrawn"]).await,
        "list --withdrawn",
    );
    assert!(list.contains("WITHDRAWN") && list.contains(&new_id), "{list}");
    let shown = ok(&op.run(&n1, &["evaluation", "show", &new_id]).await, "show");
    assert!(
        shown.contains("WITHDRAWN on ") && shown.contains("filed for the wrong incident"),
        "{shown}"
    );
    let refused = op
        .run(&n1, &["evaluation", "withdraw", &new_id, "--reason", "again"])
        .await;
    assert!(
        stderr(&refused).contains("nothing changes a withdrawn evaluation"),
        "{}",
        stderr(&refused)
    );
    t.shutdown().await;
}
