//! The record commands for people: `agreement`, `capacity`, `evaluation` and `assist`. Each talks to one
//! node's `Records` service over mutual TLS as the person in the client certificate, reads
//! records from TOML or JSON files (see `config/examples/`), and prints readable tables with
//! Dutch names, or JSON with `--json`.
//!
//! Layout: this file holds the command line and the dispatch; `agreement`, `capacity` and
//! `evaluation` run the commands: arguments, the call, the answer handed to its printer.
//! Connecting, reading record files, importing capacity from spreadsheets and printing are
//! `regiosync_client`'s (`conn`, `files`, `capacity_csv`, `render::records`).
mod agreement;
mod assistance;
mod capacity;
mod evaluation;

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use regiosync_client::render::Out;
use regiosync_client::said::Text;
use regiosync_client::{status_code, Conn};

/// Mutual-aid agreements between regions: propose, sign, reject, withdraw, revoke, read.
#[derive(Subcommand)]
pub enum AgreementCmd {
    /// Propose an agreement, or an amendment (the next version), from a .toml or .json file
    /// (see config/examples/agreement.toml). Your region must be a party.
    Propose {
        file: PathBuf,
        /// actual, exercise or test (required).
        #[arg(long)]
        status: Option<String>,
    },
    /// Sign a version as your region. Review it first with `agreement show` and pass the
    /// content hash you reviewed with --hash.
    Sign {
        /// The agreement id, e.g. VR01-VR02-waterongevallen.
        id: String,
        /// The version to sign (default: the newest).
        #[arg(long)]
        version: Option<u32>,
        /// The content hash you reviewed (hex, from `agreement show`); required: the node
        /// refuses a signature without it, and one for a version with other content.
        #[arg(long)]
        hash: Option<String>,
    },
    /// Reject a version as your region; it can then never become active.
    Reject {
        id: String,
        /// Why (required).
        #[arg(long)]
        reason: String,
        #[arg(long)]
        version: Option<u32>,
        #[arg(long)]
        hash: Option<String>,
    },
    /// Withdraw your region from the agreement; takes effect after the notice period.
    Withdraw {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// End the agreement at once, for cause (breach, legal change, made in error).
    Revoke {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// The agreement's state, every version with its content hash, who signed and who not.
    Show { id: String },
    /// The agreements the node holds that you may see.
    List {
        /// Only agreements with this region as a party, e.g. VR02.
        #[arg(long)]
        party: Option<String>,
        /// Only agreements in this state (proposed, partially_signed, signed, active, expired,
        /// withdrawn, revoked, rejected).
        #[arg(long)]
        state: Option<String>,
        /// At most this many (default 100); when more follow, the last line says how to get
        /// them ("more: --cursor X"; with --json: "more" and "next_cursor").
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        /// Go on where the previous page ended (its "next_cursor").
        #[arg(long)]
        cursor: Option<String>,
    },
}

/// Capacity reports: what a region has available now.
#[derive(Subcommand)]
pub enum CapacityCmd {
    /// Publish your region's capacity from a .toml/.json report (see
    /// config/examples/capacity.toml) or from a spreadsheet export with --csv (see
    /// config/examples/capacity.csv).
    Publish {
        /// The report as a .toml or .json file.
        #[arg(required_unless_present = "csv", conflicts_with = "csv")]
        file: Option<PathBuf>,
        /// Capacity lines from a CSV file (';' or ',' separated, English or Dutch column names);
        /// needs --as-of and --valid-until.
        ///
        /// A header row is required. Columns: resource_type (eenheid/type), baseline (basis),
        /// available (beschikbaar), committed (ingezet), out_of_service (buiten_dienst), and
        /// optionally surge_24h (opschaling_24u), surge_72h (opschaling_72u), status (default
        /// normal) and remarks (opmerking). Resource types and statuses may be codes or their
        /// Dutch names. Quoted fields, UTF-8 with or without BOM.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// The moment the numbers describe: YYYY-MM-DDTHH:MM:SSZ, "now", or relative to now
        /// ("-2h"). Overrides the file's as_of.
        #[arg(long, allow_hyphen_values = true)]
        as_of: Option<String>,
        /// Until when the numbers may be relied on: YYYY-MM-DDTHH:MM:SSZ or relative to now
        /// ("+24h", "+7d"); at most 31 days after as_of. Overrides the file's valid_until.
        #[arg(long, allow_hyphen_values = true)]
        valid_until: Option<String>,
        /// actual, exercise or test (required).
        #[arg(long)]
        status: Option<String>,
        /// Regions that may receive it besides NL, comma separated (e.g. VR02,VR03).
        #[arg(long, value_delimiter = ',')]
        audience: Vec<String>,
        /// Remarks on the whole report (overrides the file's remarks).
        #[arg(long)]
        remarks: Option<String>,
    },
    /// A region's current report, line by line.
    Show {
        /// The region, e.g. VR03.
        region: String,
    },
    /// The current report of every region you may see, stale ones marked, and the regions
    /// without one.
    List {
        /// Include exercise and test reports (never counted).
        #[arg(long)]
        all: bool,
        /// At most this many (default 100); when more follow, the last line says how to get
        /// them ("more: --cursor X"; with --json: "more" and "next_cursor").
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        /// Go on where the previous page ended (its "next_cursor").
        #[arg(long)]
        cursor: Option<String>,
    },
}

/// Evaluations of incidents and exercises, with their improvement actions.
#[derive(Subcommand)]
pub enum EvaluationCmd {
    /// Submit an evaluation of your region from a .toml or .json file (see
    /// config/examples/evaluation.toml).
    Submit {
        file: PathBuf,
        /// actual, exercise or test (required).
        #[arg(long)]
        status: Option<String>,
        /// Share it with every region (default: your region and NL only).
        #[arg(long)]
        federation_wide: bool,
    },
    /// Correct an evaluation of your region: the file holds the whole new version (as for
    /// submit), which replaces the current version ID in every view and count. Its status is
    /// that of the version it corrects.
    Correct {
        /// The record id of the current version, e.g. VR01-42.
        id: String,
        /// The new version, a .toml or .json file like the one submitted.
        #[arg(long)]
        file: PathBuf,
        /// Share it with every region too (it always goes to everyone the corrected version
        /// went to).
        #[arg(long)]
        federation_wide: bool,
    },
    /// Withdraw an evaluation of your region: it stays readable, marked withdrawn, and counts
    /// nowhere. It cannot be undone.
    Withdraw {
        /// The record id of the current version, e.g. VR01-42.
        id: String,
        /// Why (required), e.g. "filed for the wrong exercise".
        #[arg(long)]
        reason: String,
    },
    /// One evaluation: ratings per area, findings, actions (overdue, verified), its versions
    /// and whether it was corrected or withdrawn.
    Show {
        /// The record id of any version, e.g. VR01-42.
        id: String,
    },
    /// The evaluations you may see, each once (its current version).
    List {
        #[arg(long)]
        region: Option<String>,
        /// Also list withdrawn evaluations (marked WITHDRAWN).
        #[arg(long)]
        withdrawn: bool,
        /// Only events in this year.
        #[arg(long)]
        year: Option<u32>,
        /// At most this many (default 100, at most 500: the node's largest page); when more follow, the last line says how to get
        /// them ("more: --cursor X"; with --json: "more" and "next_cursor").
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=500))]
        limit: u32,
        /// Go on where the previous page ended (its "next_cursor").
        #[arg(long)]
        cursor: Option<String>,
    },
}

/// Assistance requests (bijstand): ask, offer, decline, accept, report units, release, close.
#[derive(Subcommand)]
pub enum AssistCmd {
    /// Ask for assistance as your region, from a .toml/.json request (see
    /// config/examples/assistance_request.toml) and/or the options below (options override the
    /// file). Say whom to ask with --to, --agreement, --neighbours or --national: the node
    /// resolves them into the members asked.
    Request {
        file: Option<PathBuf>,
        /// actual, exercise or test (required); every later step of the request takes it.
        #[arg(long)]
        status: Option<String>,
        /// Your incident reference, e.g. VR17-2026-1123.
        #[arg(long)]
        incident: Option<String>,
        /// What happened and why help is needed.
        #[arg(long)]
        description: Option<String>,
        /// The escalation level now, e.g. GRIP3.
        #[arg(long)]
        escalation: Option<String>,
        /// The hazard, e.g. fire_industrial.
        #[arg(long)]
        hazard: Option<String>,
        #[arg(long)]
        municipality: Option<String>,
        /// Where, in words.
        #[arg(long = "where")]
        location: Option<String>,
        /// When the units are needed on scene: YYYY-MM-DDTHH:MM:SSZ, now, or +45m / +2h.
        #[arg(long, allow_hyphen_values = true)]
        needed_by: Option<String>,
        /// A line: TYPE=N or TYPE=N/MIN (e.g. TS=6/4: six tankautospuiten, four will do);
        /// repeat for more lines.
        #[arg(long = "line")]
        lines: Vec<String>,
        /// Members to ask, comma separated (e.g. VR16,VR18).
        #[arg(long, value_delimiter = ',')]
        to: Vec<String>,
        /// Ask the partners of this active agreement; repeat for more.
        #[arg(long = "agreement")]
        agreements: Vec<String>,
        /// Ask every neighbouring region.
        #[arg(long)]
        neighbours: bool,
        /// Ask the national level (LOCC) to route the request.
        #[arg(long)]
        national: bool,
    },
    /// Offer units to a request you were asked by; an offer above what your own capacity
    /// report shows available is flagged, not refused.
    Offer {
        /// The request's record id, e.g. VR17-12.
        request_id: String,
        /// TYPE=N, e.g. TS=2; repeat for more lines.
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        /// When the units can be on scene (e.g. +45m).
        #[arg(long, allow_hyphen_values = true)]
        eta: String,
        /// Until when the offer stands (at most 7 days; e.g. +4h). It lapses if not committed.
        #[arg(long, allow_hyphen_values = true)]
        valid_until: String,
        #[arg(long)]
        conditions: Option<String>,
        /// The agreement the request cited that you offer under.
        #[arg(long)]
        agreement: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Decline a request you were asked by.
    Decline {
        request_id: String,
        /// Why: no_capacity, own_incident, minimum_coverage, travel_time, not_equipped,
        /// covered_elsewhere or other.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Commit offers to your request: OFFER:TYPE=N, e.g. --commit VR15-3:TS=2 (repeat).
    Accept {
        request_id: String,
        #[arg(long = "commit", required = true)]
        commits: Vec<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Report the state of your committed units: departed, on_scene, extended (with --until),
    /// released, returned.
    Status {
        request_id: String,
        /// Your offer whose units these are.
        #[arg(long)]
        offer: String,
        /// The line, e.g. TS.
        #[arg(long = "type")]
        resource_type: String,
        #[arg(long)]
        state: String,
        /// extended: the new end time (e.g. +8h).
        #[arg(long, allow_hyphen_values = true)]
        until: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Release committed units of your request: a whole line, or one offer's units with --offer.
    Release {
        request_id: String,
        #[arg(long = "type")]
        resource_type: String,
        #[arg(long)]
        offer: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Close your request (the assistance is over) or cancel it (no longer needed), with an
    /// optional short evaluation of the assistance.
    Close {
        request_id: String,
        #[arg(long)]
        cancel: bool,
        #[arg(long)]
        note: Option<String>,
        /// How the cooperation went: P, S, M or U.
        #[arg(long)]
        cooperation: Option<String>,
        /// A lesson; repeat for more.
        #[arg(long = "lesson")]
        lessons: Vec<String>,
    },
    /// As a national coordinator at a national node: pass a request that asked the national
    /// level on to members (they may then answer it).
    Route {
        request_id: String,
        /// A member to ask; repeat or separate with commas (e.g. --to VR19,VR20).
        #[arg(long, value_delimiter = ',', required = true)]
        to: Vec<String>,
        /// Why these members, e.g. "VR19 heeft een gaspakkenteam vrij".
        #[arg(long)]
        note: Option<String>,
    },
    /// One request: lines filling up, who was asked and answered, units, timeline.
    Show { request_id: String },
    /// Write every counted step of a request as an OASIS EDXL-RM 1.0 message (XML), one file
    /// per step, for other emergency systems (the mapping: docs/edxl-rm.md).
    Export {
        request_id: String,
        /// The folder to write the files into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// The requests the node holds that you may see, newest first.
    List {
        /// Only requests not closed or cancelled.
        #[arg(long)]
        open: bool,
        /// Only requests in this state (open, partially_covered, covered, closed, cancelled).
        #[arg(long)]
        state: Option<String>,
        /// Only requests this member made or was asked by, e.g. VR16.
        #[arg(long)]
        member: Option<String>,
    },
}

pub async fn run_assist(conn: &Conn, out: Out, cmd: AssistCmd) -> Result<()> {
    assistance::run(conn, out, cmd).await
}

pub async fn run_agreement(conn: &Conn, out: Out, cmd: AgreementCmd) -> Result<()> {
    agreement::run(conn, out, cmd).await
}

pub async fn run_capacity(conn: &Conn, out: Out, cmd: CapacityCmd) -> Result<()> {
    capacity::run(conn, out, cmd).await
}

pub async fn run_evaluation(conn: &Conn, out: Out, cmd: EvaluationCmd) -> Result<()> {
    evaluation::run(conn, out, cmd).await
}

/// `--status` of a write: required, so nobody publishes exercise data as actual by accident.
fn write_status(status: Option<&str>) -> Result<i32> {
    match status {
        Some(s) => status_code(s),
        None => Err(Text::new("cmd-status-required").into()),
    }
}
