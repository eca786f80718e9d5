//! 工作台 and 大屏: what the caller must do and what the district looks like now. Core chooses
//! the role's 待办 and figures; each capability's store lists and counts them in the caller's
//! scope; nothing is written.

use yingji_core::kernel::clock::{month_of, today};
use yingji_core::workbench::{
    FEED_LIMIT, Figure, SCREEN_DENIED, TODO_LIMIT, Todo, cases_due_until, figures_for,
    may_watch_screen, todos_for,
};
use yingji_store::kernel::Ctx;
use yingji_store::kernel::todo::TodoList;
use yingji_store::monitoring::Alarm;
use yingji_store::prevention::workbench::HazardFigures;
use yingji_store::resources::workbench::Ready;
use yingji_store::response::incidents::Incident;
use yingji_store::warning::Warning;
use yingji_store::{Page, Store, StoreError, StoreResult, directory, monitoring, prevention};
use yingji_store::{enforcement, resources, response, warning};

/// One 待办 kind with its first entries and its total.
#[derive(Debug, Clone)]
pub struct TodoGroup {
    pub kind: Todo,
    pub list: TodoList,
}

#[derive(Debug, Clone)]
pub struct Workbench {
    pub todos: Vec<TodoGroup>,
    pub figures: Vec<(Figure, i64)>,
}

/// The caller's 待办 of one kind.
async fn todo(store: &Store, ctx: &Ctx, kind: Todo, now_ms: i64) -> StoreResult<TodoList> {
    let (scope, n) = (&ctx.scope, TODO_LIMIT);
    Ok(match kind {
        Todo::AnswerWorkOrders => {
            warning::workbench::orders_to_answer(store, ctx, n, now_ms).await?
        }
        Todo::ApproveWarnings => warning::workbench::to_approve(store, scope, n, now_ms).await?,
        Todo::AckAlarms => monitoring::workbench::unacked(store, scope, n).await?,
        Todo::IncidentReports => response::workbench::reports_due(store, scope, n, now_ms).await?,
        Todo::ApproveAllocations => {
            resources::workbench::orders_to_approve(store, scope, n).await?
        }
        Todo::ReviewEnterpriseChanges => {
            directory::workbench::changes_to_review(store, scope, n).await?
        }
        Todo::SignDocuments => enforcement::receipts::todo(store, ctx, n).await?,
        Todo::RectifyFindings => enforcement::review::todo(store, ctx, n).await?,
        Todo::ReviewCases => enforcement::case_todos::to_review(store, ctx, n).await?,
        Todo::CasesDueSoon => {
            let until = cases_due_until(today(now_ms)).to_string();
            enforcement::case_todos::due_soon(store, ctx, &until, n).await?
        }
        Todo::DecideListings | Todo::ListingStatementsEnding | Todo::DecideListingRepairs => {
            let until = today(now_ms + 3 * 86_400_000).to_string();
            yingji_store::credit::listings::todo(store, ctx, kind.as_str(), &until, n).await?
        }
        Todo::CommitToday | Todo::MissedCommitments => {
            let missed = kind == Todo::MissedCommitments;
            crate::credit::commitments::todo(store, ctx, now_ms, missed).await?
        }
        Todo::SubmitDutyReports | Todo::ReviewDutyReports => {
            let review = kind == Todo::ReviewDutyReports;
            crate::credit::duty_reports::todo(store, ctx, now_ms, review).await?
        }
        Todo::ApproveFireUse => {
            crate::disasters::consultations_todos::fire_use_to_approve(store, ctx, n).await?
        }
        Todo::DisasterReportsDue => {
            yingji_store::disasters::consultations_todos::reports_due(store, ctx, n, now_ms).await?
        }
        Todo::ConsultationActions => {
            yingji_store::disasters::consultations::todo(store, ctx, n, now_ms).await?
        }
        Todo::DispatchGridEvents | Todo::HandleGridEvents | Todo::VisitGridEvents => {
            use yingji_core::grid::events::Status::*;
            let (statuses, mine): (&[_], bool) = match kind {
                Todo::DispatchGridEvents => (&[PendingDispatch], false),
                Todo::VisitGridEvents => (&[Answered], false),
                _ => (&[Dispatched, Accepted, Handled], true),
            };
            yingji_store::grid::events_todo::todo(store, ctx, (statuses, mine), n, now_ms).await?
        }
        hazards => prevention::workbench::todo(store, ctx, hazards, n)
            .await?
            .unwrap_or_default(),
    })
}

/// The caller's 工作台: each 待办 kind of its role, and its four figures.
pub async fn workbench(store: &Store, ctx: &Ctx, now_ms: i64) -> StoreResult<Workbench> {
    let mut todos = Vec::new();
    for kind in todos_for(ctx.role) {
        todos.push(TodoGroup {
            kind: *kind,
            list: todo(store, ctx, *kind, now_ms).await?,
        });
    }
    let wanted = figures_for(ctx.role);
    let hazards = if wanted.iter().any(|f| {
        matches!(
            f,
            Figure::OpenHazards
                | Figure::OpenMajorHazards
                | Figure::OverdueHazards
                | Figure::HazardsThisMonth
        )
    }) {
        prevention::workbench::figures(store, &ctx.scope, &month_of(now_ms)).await?
    } else {
        HazardFigures::default()
    };
    let mut figures = Vec::new();
    for f in wanted {
        let n = match f {
            Figure::OpenHazards => hazards.open,
            Figure::OpenMajorHazards => hazards.open_major,
            Figure::OverdueHazards => hazards.overdue,
            Figure::HazardsThisMonth => hazards.this_month,
            Figure::OpenAlarms => monitoring::workbench::open_count(store, &ctx.scope).await?,
            Figure::OpenIncidents => {
                response::workbench::open_count(store, &ctx.scope, now_ms).await?
            }
            Figure::WarningsInForce => {
                warning::workbench::in_force(store, &ctx.scope, 1, now_ms)
                    .await?
                    .1
            }
            Figure::OpenWorkOrders => warning::workbench::open_orders(store, ctx, now_ms).await?,
            Figure::PoliciesInForce => {
                crate::credit::insurance::figures(store, ctx, now_ms)
                    .await?
                    .0
            }
            Figure::PoliciesExpiring => {
                crate::credit::insurance::figures(store, ctx, now_ms)
                    .await?
                    .1
            }
            Figure::OpenClaims => yingji_store::credit::claims::open_count(store, ctx).await?,
            Figure::ServicesThisMonth => {
                let since = format!("{}-01", month_of(now_ms));
                yingji_store::credit::prevention_services::count_since(store, ctx, &since).await?
            }
        };
        figures.push((f, n));
    }
    Ok(Workbench { todos, figures })
}

/// 大屏 综合态势 in the caller's scope.
#[derive(Debug, Clone)]
pub struct Screen {
    /// The newest alarms (open or not), newest first.
    pub alarms: Vec<Alarm>,
    pub open_alarms: i64,
    pub unacked_alarms: i64,
    /// The newest incidents, newest first.
    pub incidents: Vec<Incident>,
    pub open_incidents: i64,
    pub warnings: Vec<Warning>,
    pub warnings_in_force: i64,
    /// (status code, label, count) in the loop's order.
    pub hazards_by_status: Vec<(String, String, i64)>,
    pub hazards: HazardFigures,
    pub ready: Ready,
}

/// The 大屏 for a caller whose role may watch it.
pub async fn screen(store: &Store, ctx: &Ctx, now_ms: i64) -> StoreResult<Screen> {
    if !may_watch_screen(ctx.role) {
        return Err(StoreError::Forbidden(SCREEN_DENIED.into()));
    }
    let scope = &ctx.scope;
    let (alarms, _) =
        monitoring::list_alarms(store, scope, false, Page::new(Some(1), Some(FEED_LIMIT))).await?;
    let (incidents, open_incidents) =
        response::workbench::feed(store, scope, FEED_LIMIT, now_ms).await?;
    let (warnings, warnings_in_force) =
        warning::workbench::in_force(store, scope, FEED_LIMIT, now_ms).await?;
    Ok(Screen {
        alarms,
        open_alarms: monitoring::workbench::open_count(store, scope).await?,
        unacked_alarms: monitoring::workbench::unacked(store, scope, 1).await?.total,
        incidents,
        open_incidents,
        warnings,
        warnings_in_force,
        hazards_by_status: prevention::workbench::by_status(store, scope).await?,
        hazards: prevention::workbench::figures(store, scope, &month_of(now_ms)).await?,
        ready: resources::workbench::ready(store, scope).await?,
    })
}
