use super::*;
use proptest::prelude::*;

const LIMITS: Limits = Limits { max_rounds: 3 };

fn tie(role: crate::role::Role, set: fn(&mut Relations)) -> Relations {
    let mut r = Relations {
        role: Some(role),
        ..Relations::default()
    };
    set(&mut r);
    r
}
fn staff() -> Relations {
    tie(crate::role::Role::Staff, |r| r.staff = true)
}
fn lead() -> Relations {
    tie(crate::role::Role::Handler, |r| {
        r.lead_handler = true;
        r.past_handler = true;
    })
}
fn reporter() -> Relations {
    tie(crate::role::Role::Citizen, |r| r.reporter = true)
}
fn deputy() -> Relations {
    tie(crate::role::Role::Deputy, |r| r.station_deputy = true)
}

fn run(steps: &[(Relations, Command)]) -> IssueState {
    let mut s = IssueState::reported();
    for (r, c) in steps {
        s = decide(r, &s, c, LIMITS).expect("accepted").state;
        s.check(LIMITS).expect("legal");
    }
    s
}

#[test]
fn a_citizen_joins_an_open_issue_once_then_rates_without_deciding() {
    use crate::role::Role;
    let limits = Limits::default();
    let open = IssueState::reported();
    let stranger = tie(Role::Citizen, |_| {});
    assert_eq!(
        decide(&stranger, &open, &Command::Join, limits).map(|t| t.to),
        Ok(Status::Submitted)
    );
    let joined = tie(Role::Citizen, |r| r.joiner = true);
    assert!(joined.sees() && joined.only_joined() && !joined.sees_reporter(false));
    assert!(matches!(
        decide(&joined, &open, &Command::Join, limits),
        Err(Refusal::WrongState { .. })
    ));
    // Not one's own report, not a deputy (they co-sign), and nothing else a stranger may do.
    let own = tie(Role::Citizen, |r| r.reporter = true);
    assert!(matches!(
        decide(&own, &open, &Command::Join, limits),
        Err(Refusal::Denied(Denied::Forbidden(_)))
    ));
    let deputy = tie(Role::Deputy, |_| {});
    assert_eq!(
        decide(&deputy, &open, &Command::Join, limits),
        Err(Refusal::Denied(Denied::Hidden))
    );
    assert_eq!(
        decide(&stranger, &open, &Command::Cosign, limits),
        Err(Refusal::Denied(Denied::Hidden))
    );
    let replied = IssueState {
        status: Status::Replied,
        lead_agency: Some(Uuid::from_u128(1)),
        reply: Some(ReplyCategory::A),
        ..IssueState::reported()
    };
    assert!(matches!(
        decide(&stranger, &replied, &Command::Join, limits),
        Err(Refusal::WrongState { .. })
    ));
    let rate = Command::Rate {
        rating: Rating::Dissatisfied,
        comment: None,
    };
    // Those who joined are heard, but the reporter's rating decides.
    assert_eq!(
        decide(&joined, &replied, &rate, limits).map(|t| t.to),
        Ok(Status::Replied)
    );
}

#[test]
fn the_happy_path_closes_on_satisfaction() {
    let water = Uuid::now_v7();
    let s = run(&[
        (staff(), Command::Accept { level: None }),
        (
            staff(),
            Command::Route {
                lead: water,
                co: vec![],
                complex: false,
                suggested: false,
            },
        ),
        (lead(), Command::Sign),
        (lead(), Command::Progress { photo_ids: vec![] }),
        (
            lead(),
            Command::Reply {
                category: ReplyCategory::A,
            },
        ),
        (
            reporter(),
            Command::Rate {
                rating: Rating::Satisfied,
                comment: None,
            },
        ),
    ]);
    assert_eq!(s.status, Status::Closed);
}

#[test]
fn dissatisfaction_reopens_until_the_rounds_run_out() {
    let water = Uuid::now_v7();
    let mut steps = vec![(staff(), Command::Accept { level: None })];
    for _ in 0..2 {
        steps.extend([
            (
                staff(),
                Command::Route {
                    lead: water,
                    co: vec![],
                    complex: false,
                    suggested: false,
                },
            ),
            (lead(), Command::Sign),
            (
                lead(),
                Command::Reply {
                    category: ReplyCategory::B,
                },
            ),
            (
                reporter(),
                Command::Rate {
                    rating: Rating::Dissatisfied,
                    comment: None,
                },
            ),
        ]);
    }
    let s = run(&steps);
    assert_eq!((s.status, s.round), (Status::Reopened, 3));
    let s = run(&[
        steps.clone(),
        vec![
            (
                staff(),
                Command::Route {
                    lead: water,
                    co: vec![],
                    complex: false,
                    suggested: false,
                },
            ),
            (lead(), Command::Sign),
            (
                lead(),
                Command::Reply {
                    category: ReplyCategory::C,
                },
            ),
            (
                reporter(),
                Command::Rate {
                    rating: Rating::Dissatisfied,
                    comment: None,
                },
            ),
        ],
    ]
    .concat());
    assert_eq!((s.status, s.round), (Status::Closed, 3));
    assert!(!allowed_actions(&deputy(), &s, LIMITS).contains(&Action::Reopen));
}

#[test]
fn a_wrong_state_names_what_may_be_done_and_strangers_see_nothing() {
    let s = IssueState::reported();
    assert_eq!(
        decide(&lead(), &s, &Command::Sign, LIMITS),
        Err(Refusal::WrongState {
            status: Status::Submitted,
            allowed: vec![Action::Comment]
        })
    );
    assert_eq!(
        decide(
            &Relations::default(),
            &s,
            &Command::Comment {
                internal: false,
                needs_review: false,
            },
            LIMITS
        ),
        Err(Refusal::Denied(Denied::Hidden))
    );
    assert!(matches!(
        decide(&reporter(), &s, &Command::Accept { level: None }, LIMITS),
        Err(Refusal::Denied(Denied::Forbidden(_)))
    ));
    assert!(matches!(
        decide(
            &reporter(),
            &s,
            &Command::Comment {
                internal: true,
                needs_review: false,
            },
            LIMITS
        ),
        Err(Refusal::Denied(Denied::Forbidden(_)))
    ));
}

#[test]
fn send_back_returns_to_triage_without_an_agency() {
    let s = run(&[
        (staff(), Command::Accept { level: None }),
        (
            staff(),
            Command::Route {
                lead: Uuid::now_v7(),
                co: vec![Uuid::now_v7()],
                complex: false,
                suggested: false,
            },
        ),
        (lead(), Command::SendBack),
    ]);
    assert_eq!(
        (s.status, s.lead_agency, s.co_agencies.len()),
        (Status::Accepted, None, 0)
    );
}

fn any_relations() -> impl Strategy<Value = Relations> {
    prop_oneof![
        Just(staff()),
        Just(lead()),
        Just(reporter()),
        Just(deputy()),
        Just(tie(crate::role::Role::Handler, |r| {
            r.co_handler = true;
            r.past_handler = true;
        })),
        Just(tie(crate::role::Role::Deputy, |r| r.cosigner = true)),
        Just(tie(crate::role::Role::Citizen, |r| r.joiner = true)),
        Just(tie(crate::role::Role::Citizen, |_| {})),
        Just(Relations::default()),
    ]
}

fn any_command() -> impl Strategy<Value = Command> {
    let agency = prop_oneof![
        Just(Uuid::from_u128(1)),
        Just(Uuid::from_u128(2)),
        Just(Uuid::from_u128(3))
    ];
    prop_oneof![
        Just(Command::Accept { level: None }),
        Just(Command::Decline),
        Just(Command::Merge {
            into: Uuid::from_u128(9)
        }),
        Just(Command::Cosign),
        Just(Command::Join),
        (agency.clone(), proptest::collection::vec(agency, 0..3)).prop_map(|(lead, co)| Command::Route {
            lead,
            co,
            complex: false,
            suggested: false,
        }),
        Just(Command::Sign),
        Just(Command::SendBack),
        Just(Command::Progress { photo_ids: vec![] }),
        Just(Command::RequestExtension {
            id: Uuid::nil(),
            span: crate::issue::deadline::Span::parse("days", 3, crate::issue::deadline::Unit::WorkingDays)
                .expect("a span"),
            reason: "需要协调".to_owned(),
        }),
        any::<bool>().prop_map(|approve| Command::DecideExtension {
            id: Uuid::nil(),
            approve,
            note: None,
        }),
        prop_oneof![Just(ReplyCategory::A), Just(ReplyCategory::B), Just(ReplyCategory::C)]
            .prop_map(|category| Command::Reply { category }),
        prop_oneof![
            Just(Rating::Satisfied),
            Just(Rating::BasicallySatisfied),
            Just(Rating::Dissatisfied)
        ]
        .prop_map(|rating| Command::Rate { rating, comment: None }),
        Just(Command::Reopen),
        Just(Command::Convert),
        any::<bool>().prop_map(|internal| Command::Comment {
            internal,
            needs_review: false,
        }),
        Just(Command::Urge),
        Just(Command::KeySupervision),
        Just(Command::SiteVisit { photo_ids: vec![] }),
        any::<bool>().prop_map(|came_back| Command::FollowUp { came_back }),
        Just(Command::Withhold {
            reason: "涉及隐私".to_owned(),
        }),
        Just(Command::Publish),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// No sequence of commands, from anyone, reaches a state that breaks the machine's facts; and a command is
    /// accepted exactly when `allowed_actions` offered it (internal comments aside, which depend on the body).
    #[test]
    fn no_sequence_reaches_an_illegal_state(steps in proptest::collection::vec((any_relations(), any_command()), 0..60)) {
        let mut s = IssueState::reported();
        for (r, c) in steps {
            let offered = allowed_actions(&r, &s, LIMITS).contains(&c.action());
            match decide(&r, &s, &c, LIMITS) {
                Ok(t) => {
                    prop_assert!(offered, "{c:?} accepted but not offered in {s:?}");
                    prop_assert_eq!(t.from, s.status);
                    t.state.check(LIMITS).map_err(TestCaseError::fail)?;
                    if t.state.status.is_end() && t.state.status != Status::Closed {
                        prop_assert!(allowed_actions(&staff(), &t.state, LIMITS).iter().all(|a| *a == Action::Comment || *a == Action::Convert));
                    }
                    s = t.state;
                }
                Err(Refusal::WrongState { status, allowed }) => {
                    prop_assert!(!offered);
                    prop_assert_eq!(status, s.status);
                    prop_assert!(!allowed.contains(&c.action()));
                }
                Err(Refusal::Denied(_)) => {
                    let internal_comment = matches!(c, Command::Comment { internal: true, .. });
                    prop_assert!(!offered || internal_comment);
                }
            }
        }
    }
}
