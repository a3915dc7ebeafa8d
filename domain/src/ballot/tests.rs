use super::*;

fn ids(n: usize) -> Vec<Uuid> {
    (0..n)
        .map(|i| Uuid::from_u128(u128::try_from(i).expect("small") + 1))
        .collect()
}

fn papers(contest: &Contest, ballots: &[(usize, &[usize])]) -> Vec<Paper> {
    let c = contest.candidates().to_vec();
    ballots
        .iter()
        .flat_map(|(times, picks)| {
            let choices: Vec<Uuid> = picks.iter().map(|&i| c[i]).collect();
            std::iter::repeat_n(contest.paper(choices).expect("a valid paper"), *times)
        })
        .collect()
}

#[test]
fn lanzhou_elects_ten_of_thirteen_by_more_than_half() {
    let contest = Contest::parse(ids(13), 10, Fraction::HALF).expect("valid");
    // 300 of 304 vote: 200 for projects 0–9, 100 for projects 3–12 (ten each).
    let first: Vec<usize> = (0..10).collect();
    let second: Vec<usize> = (3..13).collect();
    let cast = papers(&contest, &[(200, &first), (100, &second)]);
    let tally = contest.tally(&cast, 304);
    assert_eq!(tally.cast, 300);
    assert_eq!(tally.turnout_per_mille(), Some(986));
    let c = contest.candidates();
    // 3–9 have 300, 0–2 have 200, 10–12 have 100 (not more than half).
    assert_eq!(&tally.elected[..7], &c[3..10]);
    assert_eq!(&tally.elected[7..], &c[0..3]);
    assert!(tally.runoff.is_empty());
    assert_eq!(tally.open_seats, 0);
    assert!(!tally.counts[12].passed);
}

#[test]
fn a_tie_for_the_last_seat_goes_to_a_runoff_and_leaves_it_open() {
    let contest = Contest::parse(ids(4), 2, Fraction::ZERO).expect("valid");
    let cast = papers(&contest, &[(3, &[0, 1]), (2, &[0, 2]), (1, &[3])]);
    // 0: 5, 1: 3, 2: 2, 3: 1 → 0 and 1 elected.
    let tally = contest.tally(&cast, 10);
    let c = contest.candidates();
    assert_eq!(tally.elected, vec![c[0], c[1]]);
    let cast = papers(&contest, &[(3, &[0, 1]), (3, &[0, 2])]);
    // 0: 6, 1: 3, 2: 3 → 0 elected; 1 and 2 tie for the one seat left.
    let tally = contest.tally(&cast, 10);
    assert_eq!(tally.elected, vec![c[0]]);
    assert_eq!(tally.runoff, vec![c[1], c[2]]);
    assert_eq!(tally.open_seats, 1);
}

#[test]
fn tied_candidates_who_all_fit_are_all_elected() {
    let contest = Contest::parse(ids(4), 2, Fraction::ZERO).expect("valid");
    let cast = papers(&contest, &[(2, &[0, 1]), (1, &[2])]);
    let tally = contest.tally(&cast, 3);
    let c = contest.candidates();
    assert_eq!(tally.elected, vec![c[0], c[1]]);
    assert_eq!(tally.open_seats, 0);
}

#[test]
fn seats_too_few_candidates_pass_for_stay_open() {
    let contest = Contest::parse(ids(3), 2, Fraction::HALF).expect("valid");
    let cast = papers(&contest, &[(3, &[0]), (2, &[1]), (1, &[])]);
    // 6 cast: 0 has 3 (not more than half), 1 has 2.
    let tally = contest.tally(&cast, 6);
    assert!(tally.elected.is_empty());
    assert_eq!(tally.open_seats, 2);
    let cast = papers(&contest, &[(4, &[0]), (2, &[1])]);
    let tally = contest.tally(&cast, 6);
    assert_eq!(tally.elected, vec![contest.candidates()[0]]);
    assert_eq!(tally.open_seats, 1);
    assert!(tally.runoff.is_empty());
}

#[test]
fn a_paper_names_at_most_the_seats_each_candidate_once() {
    let contest = Contest::parse(ids(13), 10, Fraction::HALF).expect("valid");
    let c = contest.candidates().to_vec();
    assert_eq!(contest.paper(c[..11].to_vec()).map_err(|e| e.code), Err("too_many"));
    assert_eq!(
        contest.paper(vec![c[0], c[0]]).map_err(|e| e.field),
        Err("choices[1]".to_owned())
    );
    assert_eq!(
        contest.paper(vec![Uuid::nil()]).map_err(|e| e.code),
        Err("not_a_candidate")
    );
    assert!(contest.paper(Vec::new()).is_ok(), "a blank paper is valid");
    let paper = contest.paper(vec![c[5], c[1]]).expect("fewer is valid");
    assert_eq!(
        paper.choices(),
        &[c[1], c[5]],
        "kept in candidate order, not ticking order"
    );
}

proptest::proptest! {
    /// Whatever the papers: no more elected than seats; elected, runoff and open seats add up to the seats;
    /// everyone elected passed the threshold and has at least the votes of anyone passing who was not elected.
    #[test]
    fn a_tally_fills_at_most_the_seats_and_never_passes_over_more_votes(
        n in 3_usize..15,
        seats_pick in 0_usize..100,
        half in proptest::bool::ANY,
        ballots in proptest::collection::vec(proptest::collection::vec(0_usize..15, 0..15), 0..60),
    ) {
        let seats = u32::try_from(seats_pick % (n - 1) + 1).expect("small");
        let threshold = if half { Fraction::HALF } else { Fraction::ZERO };
        let contest = Contest::parse(ids(n), seats, threshold).expect("valid");
        let c = contest.candidates().to_vec();
        let cast: Vec<Paper> = ballots
            .iter()
            .filter_map(|picks| {
                let mut chosen: Vec<Uuid> = picks.iter().filter(|&&i| i < n).map(|&i| c[i]).collect();
                chosen.dedup();
                contest.paper(chosen).ok()
            })
            .collect();
        let tally = contest.tally(&cast, 100);
        let seats = seats as usize;
        proptest::prop_assert!(tally.elected.len() <= seats);
        proptest::prop_assert_eq!(tally.elected.len() + tally.open_seats as usize, seats);
        proptest::prop_assert!(tally.runoff.is_empty() || tally.runoff.len() > tally.open_seats as usize);
        let votes = |id: &Uuid| tally.counts.iter().find(|k| k.candidate == *id).map(|k| (k.votes, k.passed));
        for e in &tally.elected {
            let (v, passed) = votes(e).expect("counted");
            proptest::prop_assert!(passed);
            for k in tally.counts.iter().filter(|k| k.passed && !tally.elected.contains(&k.candidate)) {
                proptest::prop_assert!(k.votes <= v);
            }
        }
        proptest::prop_assert!(tally.runoff.iter().all(|r| !tally.elected.contains(r)));
    }
}

#[test]
fn a_contest_must_choose() {
    assert_eq!(
        Contest::parse(ids(3), 3, Fraction::ZERO).map_err(|e| e.field),
        Err("seats".to_owned())
    );
    assert_eq!(
        Contest::parse(ids(3), 0, Fraction::ZERO).map_err(|e| e.field),
        Err("seats".to_owned())
    );
    let mut twice = ids(3);
    twice.push(twice[0]);
    assert_eq!(
        Contest::parse(twice, 1, Fraction::ZERO).map_err(|e| e.code),
        Err("duplicate")
    );
}

#[test]
fn a_ballot_takes_papers_only_while_open_and_closes_early_only_when_all_have_cast() {
    let t = |h: i64| DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::hours(h);
    let schedule = Schedule::parse(t(10), t(12), t(0)).expect("valid");
    assert_eq!(Phase::at(schedule, None, t(9)), Phase::Scheduled);
    assert_eq!(Phase::at(schedule, None, t(10)), Phase::Open);
    assert_eq!(Phase::at(schedule, None, t(12)), Phase::Ended);
    assert_eq!(Phase::at(schedule, Some(t(11)), t(11)), Phase::Closed);
    assert!(Phase::Open.may_vote().is_ok());
    assert!(Phase::Ended.may_vote().is_err());
    assert!(Phase::Open.may_close(303, 304).is_err());
    assert!(Phase::Open.may_close(304, 304).is_ok());
    assert!(Phase::Ended.may_close(0, 304).is_ok());
    assert!(Phase::Closed.may_close(304, 304).is_err());
    assert_eq!(
        Schedule::parse(t(12), t(12), t(0)).expect_err("empty").field,
        "closes_at"
    );
    assert_eq!(Schedule::parse(t(1), t(2), t(3)).expect_err("past").field, "closes_at");
}

#[test]
fn rosters_and_milestones_are_checked() {
    assert_eq!(roster(vec![]).expect_err("empty").field, "roster");
    let d = Uuid::from_u128(1);
    assert_eq!(roster(vec![d, d]).expect_err("twice").field, "roster[1]");
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).expect("date");
    let ok =
        PlannedMilestone::parse_all(vec![("立项".into(), day(1)), ("开工".into(), day(2))], day(1)).expect("valid");
    assert_eq!(ok.len(), 2);
    let late = PlannedMilestone::parse_all(vec![("开工".into(), day(2)), ("立项".into(), day(1))], day(1));
    assert_eq!(late.expect_err("order").field, "milestones[1].planned_on");
    let blank = PlannedMilestone::parse_all(vec![(" ".into(), day(1))], day(1));
    assert_eq!(blank.expect_err("blank").field, "milestones[0].title");
    let past = PlannedMilestone::parse_all(vec![("立项".into(), day(1)), ("开工".into(), day(9))], day(2));
    let past = past.expect_err("before the election");
    assert_eq!(
        (past.field.as_str(), past.code),
        ("milestones[0].planned_on", "too_early")
    );
}

#[test]
fn held_papers_settle_in_batches_at_drawn_moments_and_all_at_the_close() {
    assert!(!settles_now(0, true, 0.0), "nothing to settle");
    assert!(!settles_now(SETTLE_BATCH - 1, false, 0.0), "too few to hide among");
    assert!(settles_now(SETTLE_BATCH - 1, true, 0.99), "the close takes every paper");
    assert!(settles_now(SETTLE_BATCH, false, 0.0));
    assert!(
        !settles_now(SETTLE_BATCH, false, SETTLE_CHANCE),
        "not every look settles"
    );
}

#[test]
fn each_candidate_is_told_what_the_tally_made_of_it() {
    let [a, b, c, d] = [1u128, 2, 3, 4].map(Uuid::from_u128);
    let count = |candidate, votes, passed| Count {
        candidate,
        votes,
        passed,
    };
    let tally = Tally {
        counts: vec![
            count(a, 5, true),
            count(b, 9, true),
            count(c, 4, true),
            count(d, 4, true),
        ],
        cast: 10,
        roster: 12,
        elected: vec![b, a],
        runoff: vec![c, d],
        open_seats: 1,
    };
    let outcomes: Vec<_> = tally.outcomes().into_iter().map(|(c, o)| (c.candidate, o)).collect();
    assert_eq!(
        outcomes,
        vec![
            (a, Outcome::Elected { rank: 2 }),
            (b, Outcome::Elected { rank: 1 }),
            (c, Outcome::Runoff),
            (d, Outcome::Runoff),
        ]
    );
    assert_eq!(Outcome::Elected { rank: 2 }.rank(), Some(2));
    assert_eq!(Outcome::Runoff.as_str(), "runoff");
    let lone = Tally {
        counts: vec![count(c, 1, false)],
        elected: vec![],
        runoff: vec![],
        ..tally
    };
    assert_eq!(lone.outcomes()[0].1, Outcome::NotElected);
}
