//! `regiosync capacity publish --csv` with files as Dutch spreadsheets save them: Windows-1252
//! with Excel's `sep=;` line, times in Dutch wall-clock time, a warning for a report already
//! past its valid-until, and every problem of a broken file reported at once with nothing stored.
use regiosync_testkit::{vr, TestFed};
use regiosync_trust::Identity;

use crate::{ok, stderr, stdout, Person};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dutch_excel_export_publishes_and_a_broken_one_says_everything_at_once() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let url = t.fed.node(vr(1)).url();
    let op = Person::of(&t, Identity::operator(vr(1), "jansen"));
    let dir = tempfile::tempdir().unwrap();

    // Windows-1252 (ö = 0xF6, “ ” = 0x93 0x94), a sep= line, CRLF.
    let good = dir.path().join("capaciteit.csv");
    std::fs::write(
        &good,
        b"sep=;\r\nEenheid;Basis;Beschikbaar;Ingezet;Buiten dienst;Opmerking\r\nTS;24;18;4;2;co\xf6rdinatie via \x93ROT\x94\r\n",
    )
    .unwrap();
    // Dutch wall-clock times; the report ran out an hour ago.
    let now = regiosync_types::now_ms();
    let local = |ms: i64| {
        let l = ms + regiosync_records::calendar::offset_ms(ms);
        let s = regiosync_records::time::format_moment(l - l.rem_euclid(60_000));
        s[..16].replace('T', " ")
    };
    let (as_of, until) = (local(now - 3 * 3_600_000), local(now - 3_600_000));
    let o = op
        .run(
            &url,
            &[
                "capacity",
                "publish",
                "--csv",
                good.to_str().unwrap(),
                "--as-of",
                &as_of,
                "--valid-until",
                &until,
                "--status",
                "exercise",
            ],
        )
        .await;
    ok(&o, "capacity publish --csv");
    let warned = stderr(&o);
    assert!(
        warned.contains("warning: this report is valid until") && warned.contains("which has already passed"),
        "{warned}"
    );
    let shown = stdout(&op.run(&url, &["capacity", "show", "VR01", "--json"]).await);
    assert!(shown.contains("coördinatie via “ROT”"), "{shown}");
    // The Dutch time was read as Dutch time: valid until (in UTC) is an hour ago, to the minute.
    let utc_until = regiosync_records::time::format_moment((now - 3_600_000) - (now - 3_600_000).rem_euclid(60_000));
    assert!(shown.contains(&utc_until), "valid until {utc_until} not in {shown}");

    // Three problems in one file: all of them, with line and column; nothing stored (the
    // duplicate HV on line 4 is not reported: that line already has a broken cell).
    let bad = dir.path().join("fout.csv");
    std::fs::write(
        &bad,
        "eenheid;basis;beschikbaar;ingezet;buiten_dienst\nTS;12;x;2;1\nHV;3;2;0;0\nHV;1;1;0;;\nAL;2;3;0;0\n",
    )
    .unwrap();
    let o = op
        .run(
            &url,
            &[
                "capacity",
                "publish",
                "--csv",
                bad.to_str().unwrap(),
                "--as-of",
                "now",
                "--valid-until",
                "+24h",
                "--status",
                "exercise",
            ],
        )
        .await;
    assert!(!o.status.success());
    let e = stderr(&o);
    for want in [
        "fout.csv: 3 problems",
        "fout.csv line 2, column beschikbaar: 'x' is not a whole number",
        "fout.csv line 4, column buiten_dienst: empty; give a whole number (0 if none)",
        "fout.csv line 5: AL: available 3 + committed 0 + out of service 0 = 3 exceeds baseline 2",
    ] {
        assert!(e.contains(want), "lacks {want:?}:\n{e}");
    }
    let after = stdout(&op.run(&url, &["capacity", "show", "VR01", "--json"]).await);
    assert!(
        after.contains("coördinatie via “ROT”") && !after.contains("\"HV\""),
        "{after}"
    );
    t.shutdown().await;
}
