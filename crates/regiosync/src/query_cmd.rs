//! `regiosync query ...`: the national questions of the `Queries` service, asked of one
//! node over mutual TLS as the person in the client certificate. National coordinators may ask
//! any node (NL answers for the country); a region's operator asks their own node. Readable
//! tables with Dutch names by default (`regiosync_client::render::query`), the answer message
//! as JSON with `--json`.
use anyhow::Result;
use clap::Subcommand;
use regiosync_client::render::query::{assistance, capacity, coverage, evaluations, quality};
use regiosync_client::render::{answer, Out};
use regiosync_client::{rpc_error, Conn};
use regiosync_node::pb::{
    AgreementCoverageRequest, AssistanceByAgreementRequest, AssistanceByRegionRequest, DataQualityRequest,
    EvaluationBenchmarkRequest, InControlRequest, NationalCapacityRequest, OpenAssistanceRequest,
    ResourceByRegionRequest,
};

use crate::args::{region_arg, resource_arg};

/// The national questions; ask NL as a national coordinator, or your own region's node.
#[derive(Subcommand)]
pub enum QueryCmd {
    /// National capacity per resource type from current actual reports; stale, missing and
    /// exercise-only regions listed, never counted.
    NationalCapacity,
    /// One resource type per region; with --region, the partners with an active agreement
    /// covering it and what they have available now.
    Resource {
        /// The resource type: a code (TS, WO, OvD-B) or its Dutch name (tankautospuit).
        resource_type: String,
        /// A region in trouble, e.g. VR01: list its partners for this type.
        #[arg(long)]
        region: Option<String>,
    },
    /// Agreement coverage: a 25×25 grid of active agreements, neighbouring regions without
    /// one, agreements expiring soon and those awaiting signatures.
    Coverage {
        /// "Expiring" window in days (default: the node's configured window).
        #[arg(long)]
        days: Option<u32>,
    },
    /// Ratings per area (P/S/M/U/NO) per year, incidents and exercises apart; with --region,
    /// the region's own counts beside the national ones.
    Benchmark {
        /// Compare this region, e.g. VR09, with the national counts.
        #[arg(long)]
        region: Option<String>,
        /// Only this year (default: every year held).
        #[arg(long)]
        year: Option<u32>,
    },
    /// A region's "in control" card: latest rating per area with the previous one and the
    /// trend, open and overdue improvement actions, board last informed, data freshness.
    InControl {
        /// The region, e.g. VR01.
        region: String,
    },
    /// Data quality per region: capacity as of (stale, missing), reports, evaluations not
    /// reported to the board, refused records and replication lag.
    DataQuality,
    /// Assistance requests open now (actual): lines committed of requested, needed by, minutes
    /// open, who was asked and who has not answered.
    AssistanceOpen,
    /// Assistance over a period [--from, --to) of requests made: per region (made, fill rate,
    /// first offer and commitment, received, answered, offers, declines) or per agreement
    /// (requests citing it, offers under it, fill rate; used and never used).
    Assistance {
        /// "region" or "agreement".
        #[arg(long, value_parser = ["region", "agreement"])]
        by: String,
        /// First day (YYYY-MM-DD), included.
        #[arg(long)]
        from: String,
        /// Last day (YYYY-MM-DD), excluded.
        #[arg(long)]
        to: String,
    },
}

pub async fn run(conn: &Conn, out: Out, cmd: QueryCmd) -> Result<()> {
    let mut client = conn.queries().await?;
    match cmd {
        QueryCmd::NationalCapacity => {
            let a = client
                .national_capacity(NationalCapacityRequest {})
                .await
                .map_err(rpc_error)?
                .into_inner();
            answer(out, &a, capacity::print_national)
        }
        QueryCmd::Resource { resource_type, region } => {
            let req = ResourceByRegionRequest {
                resource_type: resource_arg(&resource_type),
                region: region.as_deref().map(region_arg).unwrap_or_default(),
            };
            let asking = req.region.clone();
            let a = client.resource_by_region(req).await.map_err(rpc_error)?.into_inner();
            answer(out, &a, |lang, a| capacity::print_resource(lang, a, &asking))
        }
        QueryCmd::Coverage { days } => {
            let days = days.unwrap_or(0);
            let a = client
                .agreement_coverage(AgreementCoverageRequest {
                    expiring_within_days: days,
                })
                .await
                .map_err(rpc_error)?
                .into_inner();
            answer(out, &a, |lang, a| coverage::print(lang, a, days))
        }
        QueryCmd::Benchmark { region, year } => {
            let year = year.unwrap_or(0);
            let req = EvaluationBenchmarkRequest {
                region: region.as_deref().map(region_arg).unwrap_or_default(),
                year,
            };
            let asking = req.region.clone();
            let a = client.evaluation_benchmark(req).await.map_err(rpc_error)?.into_inner();
            answer(out, &a, |lang, a| evaluations::print_benchmark(lang, a, &asking, year))
        }
        QueryCmd::InControl { region } => {
            let req = InControlRequest {
                region: region_arg(&region),
            };
            let card = client.in_control(req).await.map_err(rpc_error)?.into_inner();
            answer(out, &card, evaluations::print_card)
        }
        QueryCmd::DataQuality => {
            let a = client
                .data_quality(DataQualityRequest {})
                .await
                .map_err(rpc_error)?
                .into_inner();
            answer(out, &a, quality::print)
        }
        QueryCmd::AssistanceOpen => {
            let a = client
                .open_assistance(OpenAssistanceRequest {})
                .await
                .map_err(rpc_error)?
                .into_inner();
            answer(out, &a, assistance::print_open)
        }
        QueryCmd::Assistance { by, from, to } if by == "agreement" => {
            let a = client
                .assistance_by_agreement(AssistanceByAgreementRequest { from, to })
                .await
                .map_err(rpc_error)?
                .into_inner();
            answer(out, &a, assistance::print_by_agreement)
        }
        QueryCmd::Assistance { from, to, .. } => {
            let a = client
                .assistance_by_region(AssistanceByRegionRequest { from, to })
                .await
                .map_err(rpc_error)?
                .into_inner();
            answer(out, &a, assistance::print_by_region)
        }
    }
}
