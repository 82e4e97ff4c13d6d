//! A small test: the strongest evidence one person can get. A change (a standing desk, an
//! evening wind-down) is switched on and off in blocks of days on a schedule drawn at random,
//! and pain with it is compared with pain without it by an exact randomisation test. Because
//! the schedule was random, the test is valid without assuming normal or independent days:
//! every one of the C(10,5) = 252 schedules that could have been drawn is tried, and the one
//! that was drawn is judged by how unusual its difference is among them.

use jiff::civil::Date;

use super::Day;
use super::stats::mean;

/// Blocks in a test.
pub const BLOCKS: usize = 10;
/// Days per block; the first of them is a wash-out, not counted.
pub const BLOCK_DAYS: u32 = 4;
/// Check-ins a block needs on its counted days for its mean to count.
pub const CHECK_INS_PER_BLOCK: usize = 2;
/// Blocks each side (with and without the change) needs with enough check-ins. One block
/// each way may go short: holidays happen, and the test stays exact over the blocks that count.
pub const BLOCKS_EACH_SIDE: usize = 4;
/// A difference stands out at a two-sided p-value of at most this.
const LEVEL: f64 = 0.05;
/// Step of the grid of shifts inverted for the interval, in points.
const INTERVAL_STEP: f64 = 0.05;
/// The grid goes no further than this from the difference: pain is on a 0-10 scale.
const INTERVAL_REACH: f64 = 10.0;
/// The most blocks an exact test enumerates (C(20, 10) = 184,756 assignments).
const MAX_BLOCKS: usize = 20;

/// When a change is on and off.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// The first day of the first block.
    pub start: Date,
    /// Days per block, the first a wash-out.
    pub block_days: u32,
    /// For each block in order: whether the change is on.
    pub on: Vec<bool>,
}

/// Where a date falls in a schedule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TodaySide {
    /// Block index from 0.
    pub block: usize,
    /// Whether the change is on in this block.
    pub on: bool,
    /// The block's first day: not counted, so the last block's effect can fade.
    pub washout: bool,
}

impl Schedule {
    /// A random schedule from `start`: 10 blocks of 4 days, exactly 5 with the change on.
    pub fn draw(start: Date, rng: &mut fastrand::Rng) -> Schedule {
        let mut on: Vec<bool> = (0..BLOCKS).map(|block| block < BLOCKS / 2).collect();
        rng.shuffle(&mut on);
        Schedule {
            start,
            block_days: BLOCK_DAYS,
            on,
        }
    }

    /// The first day after the test.
    pub fn end(&self) -> Date {
        let days = i64::from(self.block_days) * self.on.len() as i64;
        self.start
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(Date::MAX)
    }

    /// Where `date` falls in the schedule; None before its start or from its end.
    pub fn today(&self, date: Date) -> Option<TodaySide> {
        let offset = self.day_offset(date)?;
        let block_days = usize::try_from(self.block_days).ok()?.max(1);
        let block = offset / block_days;
        let on = *self.on.get(block)?;
        Some(TodaySide {
            block,
            on,
            washout: offset % block_days == 0,
        })
    }

    /// Days from the start to `date`, None before the start.
    fn day_offset(&self, date: Date) -> Option<usize> {
        let days = self.start.until(date).ok()?.get_days();
        usize::try_from(days).ok()
    }

    /// Mean pain on each block's counted days (None with fewer than two check-ins), using
    /// only days on or before `last` when given.
    fn block_means(&self, days: &[Day], last: Option<Date>) -> Vec<Option<f64>> {
        let mut pains: Vec<Vec<f64>> = vec![Vec::new(); self.on.len()];
        let mut seen: Vec<Date> = Vec::new();
        for day in days {
            if last.is_some_and(|last| day.date > last) || seen.contains(&day.date) {
                continue;
            }
            seen.push(day.date);
            if let (Some(side), Some(pain)) = (self.today(day.date), day.pain)
                && !side.washout
            {
                pains[side.block].push(pain);
            }
        }
        pains
            .into_iter()
            .map(|block| {
                (block.len() >= CHECK_INS_PER_BLOCK)
                    .then(|| mean(block.iter().copied()))
                    .flatten()
            })
            .collect()
    }
}

/// The words a small test ends with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Pain was lower with the change, two-sided p <= 0.05.
    Softened,
    /// The exact test did not set the difference apart from chance.
    NoClearDifference,
    /// Pain was higher with the change, two-sided p <= 0.05.
    SeemedWorse,
    /// Too few blocks had enough check-ins; `Analysis::needed` says what is missing.
    NotEnoughCheckIns,
    /// The test was stopped before its end: what it had so far, no verdict.
    Stopped,
}

impl Verdict {
    /// The fixed words.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Softened => "Softened it",
            Verdict::NoClearDifference => "No clear difference",
            Verdict::SeemedWorse => "Seemed worse",
            Verdict::NotEnoughCheckIns => "Not enough check-ins",
            Verdict::Stopped => "Stopped early: no verdict",
        }
    }
}

/// What a small test found.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub verdict: Verdict,
    /// Points: mean pain with the change minus without (negative: lower with it).
    pub difference: Option<f64>,
    /// A 95 % interval for the difference, from inverting the randomisation test.
    pub interval: Option<(f64, f64)>,
    /// Two-sided p-value of the exact randomisation test.
    pub p: Option<f64>,
    /// Blocks with enough check-ins.
    pub blocks_counted: usize,
    /// What is still needed, in words; empty when nothing is.
    pub needed: String,
    /// Each block's mean pain over its counted days, None with too few check-ins.
    pub block_means: Vec<Option<f64>>,
}

impl Analysis {
    /// The result in fixed words with its numbers, e.g. "Softened it: pain was 1.8 points
    /// lower with the change (95 % interval 0.6 to 3.0 lower; 10 blocks)."
    pub fn sentence(&self) -> String {
        let Some(difference) = self.difference else {
            return if self.needed.is_empty() {
                format!("{}.", self.verdict.words())
            } else {
                format!("{}: {}", self.verdict.words(), self.needed)
            };
        };
        let direction = |value: f64| if value < 0.0 { "lower" } else { "higher" };
        let mut sentence = format!(
            "{}: pain was {:.1} points {} with the change",
            self.verdict.words(),
            difference.abs(),
            direction(difference)
        );
        if let Some((low, high)) = self.interval {
            let range = if high < 0.0 {
                format!("{:.1} to {:.1} lower", high.abs(), low.abs())
            } else if low > 0.0 {
                format!("{low:.1} to {high:.1} higher")
            } else {
                format!("{:.1} lower to {high:.1} higher", low.abs())
            };
            sentence.push_str(&format!(
                " (95 % interval {range}; {} blocks).",
                self.blocks_counted
            ));
        } else {
            sentence.push_str(&format!(" ({} blocks so far).", self.blocks_counted));
        }
        sentence
    }
}

/// The finished test: the exact randomisation test over every assignment of the "on" blocks.
pub fn analyse(schedule: &Schedule, days: &[Day]) -> Analysis {
    let block_means = schedule.block_means(days, None);
    let blocks_counted = block_means.iter().flatten().count();
    let counted_each_side = |on: bool| {
        schedule
            .on
            .iter()
            .zip(&block_means)
            .filter(|(side, mean)| **side == on && mean.is_some())
            .count()
    };
    let (with, without) = (counted_each_side(true), counted_each_side(false));
    let not_enough = |needed: String| Analysis {
        verdict: Verdict::NotEnoughCheckIns,
        difference: None,
        interval: None,
        p: None,
        blocks_counted,
        needed,
        block_means: block_means.clone(),
    };
    if schedule.on.len() > MAX_BLOCKS {
        return not_enough(format!("A test has at most {MAX_BLOCKS} blocks."));
    }
    if with < BLOCKS_EACH_SIDE || without < BLOCKS_EACH_SIDE {
        return not_enough(format!(
            "Each side needs at least {BLOCKS_EACH_SIDE} blocks with check-ins on at least \
             {CHECK_INS_PER_BLOCK} of their counted days (the first day of each block is not \
             counted); with the change has {with}, without has {without}."
        ));
    }

    let counted = Counted::new(schedule, &block_means);
    let difference = counted.difference(counted.drawn, 0.0);
    let p = counted.p_value(0.0);
    let interval = counted.interval(difference);
    let verdict = if p > LEVEL {
        Verdict::NoClearDifference
    } else if difference < 0.0 {
        Verdict::Softened
    } else {
        Verdict::SeemedWorse
    };
    Analysis {
        verdict,
        difference: Some(difference),
        interval: Some(interval),
        p: Some(p),
        blocks_counted,
        needed: String::new(),
        block_means,
    }
}

/// A test stopped before its end (or looked at on the way): the difference so far over the
/// blocks with enough check-ins up to `today`, without a p-value, interval or verdict, since
/// the randomisation was over the whole schedule.
pub fn so_far(schedule: &Schedule, days: &[Day], today: Date) -> Analysis {
    let block_means = schedule.block_means(days, Some(today));
    let blocks_counted = block_means.iter().flatten().count();
    let side_mean = |on: bool| {
        mean(
            schedule
                .on
                .iter()
                .zip(&block_means)
                .filter(|(side, _)| **side == on)
                .filter_map(|(_, mean)| *mean),
        )
    };
    let difference = side_mean(true)
        .zip(side_mean(false))
        .map(|(with, without)| with - without);
    let needed = if difference.is_some() {
        String::new()
    } else {
        "A difference needs a block with enough check-ins on each side.".to_string()
    };
    Analysis {
        verdict: Verdict::Stopped,
        difference,
        interval: None,
        p: None,
        blocks_counted,
        needed,
        block_means,
    }
}

/// The blocks with enough check-ins, and every assignment the schedule could have been.
struct Counted {
    /// Each counted block's mean pain, with its bit in the assignment masks.
    blocks: Vec<(f64, u32)>,
    /// The schedule as drawn, as a mask over blocks.
    drawn: u32,
    /// Every way of choosing as many "on" blocks as the schedule has, as masks over blocks.
    assignments: Vec<u32>,
}

impl Counted {
    fn new(schedule: &Schedule, block_means: &[Option<f64>]) -> Counted {
        let bit = |index: usize| 1u32 << index;
        let blocks = block_means
            .iter()
            .enumerate()
            .filter_map(|(index, mean)| Some(((*mean)?, bit(index))))
            .collect();
        let drawn = schedule
            .on
            .iter()
            .enumerate()
            .filter(|(_, on)| **on)
            .fold(0, |mask, (index, _)| mask | bit(index));
        let on_count = schedule.on.iter().filter(|&&on| on).count() as u32;
        let assignments = (0..1u32 << schedule.on.len())
            .filter(|mask| mask.count_ones() == on_count)
            .collect();
        Counted {
            blocks,
            drawn,
            assignments,
        }
    }

    /// Mean pain of the blocks `assignment` puts on minus the others, after taking `shift`
    /// off the blocks that were on in the drawn schedule (0 when a side has no block).
    fn difference(&self, assignment: u32, shift: f64) -> f64 {
        let (mut with_sum, mut with_count, mut without_sum, mut without_count) =
            (0.0, 0u32, 0.0, 0u32);
        for &(mean, bit) in &self.blocks {
            let value = if self.drawn & bit != 0 {
                mean - shift
            } else {
                mean
            };
            if assignment & bit != 0 {
                with_sum += value;
                with_count += 1;
            } else {
                without_sum += value;
                without_count += 1;
            }
        }
        if with_count == 0 || without_count == 0 {
            return 0.0;
        }
        with_sum / f64::from(with_count) - without_sum / f64::from(without_count)
    }

    /// The exact two-sided p-value for "the change shifts pain by `shift` points": the share
    /// of all assignments whose difference (the shift taken off the blocks that were on) is
    /// at least as far from zero as the drawn schedule's.
    fn p_value(&self, shift: f64) -> f64 {
        // Differences equal up to rounding count as equally extreme.
        let tolerance = 1e-9;
        let observed = self.difference(self.drawn, shift).abs();
        let as_extreme = self
            .assignments
            .iter()
            .filter(|&&assignment| self.difference(assignment, shift).abs() >= observed - tolerance)
            .count();
        as_extreme as f64 / self.assignments.len() as f64
    }

    /// The 95 % interval: the shifts on a grid stepping out from the difference that the test
    /// does not reject at the 5 % level.
    fn interval(&self, difference: f64) -> (f64, f64) {
        let steps = (INTERVAL_REACH / INTERVAL_STEP) as usize;
        let edge = |direction: f64| {
            let mut accepted = difference;
            for step in 1..=steps {
                let shift = difference + direction * step as f64 * INTERVAL_STEP;
                if self.p_value(shift) <= LEVEL {
                    break;
                }
                accepted = shift;
            }
            accepted
        };
        (edge(-1.0), edge(1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn schedule() -> Schedule {
        Schedule {
            start: date(2025, 3, 3),
            block_days: BLOCK_DAYS,
            on: vec![
                true, false, false, true, true, false, true, false, true, false,
            ],
        }
    }

    /// Check-ins on every day of the schedule: `with` on blocks that are on, `without` else.
    fn days(schedule: &Schedule, with: f64, without: f64) -> Vec<Day> {
        let mut days = Vec::new();
        let mut date = schedule.start;
        while date < schedule.end() {
            let mut day = Day::empty(date);
            let side = schedule.today(date).expect("inside the schedule");
            // A little variation so blocks differ.
            let wobble = (side.block % 3) as f64 * 0.1;
            day.pain = Some(if side.on { with } else { without } + wobble);
            days.push(day);
            date = date.tomorrow().expect("in the calendar");
        }
        days
    }

    #[test]
    fn a_drawn_schedule_has_five_blocks_each_way() {
        let mut rng = fastrand::Rng::with_seed(7);
        let start = date(2025, 3, 3);
        let schedule = Schedule::draw(start, &mut rng);
        assert_eq!(schedule.on.len(), BLOCKS);
        assert_eq!(schedule.on.iter().filter(|&&on| on).count(), 5);
        assert_eq!(schedule.end(), date(2025, 4, 12));
        assert_eq!(schedule.today(date(2025, 3, 2)), None);
        assert_eq!(schedule.today(schedule.end()), None);
        let side = schedule.today(date(2025, 3, 11)).expect("in block 2");
        assert_eq!((side.block, side.washout), (2, true));
        assert_eq!(side.on, schedule.on[2]);
        let side = schedule.today(date(2025, 3, 14)).expect("in block 2");
        assert_eq!((side.block, side.washout), (2, false));
    }

    #[test]
    fn a_clear_softening_is_said_with_its_interval() {
        let schedule = schedule();
        let analysis = analyse(&schedule, &days(&schedule, 3.0, 6.0));
        assert_eq!(analysis.verdict, Verdict::Softened);
        assert_eq!(analysis.verdict.words(), "Softened it");
        let difference = analysis.difference.expect("a difference");
        assert!((difference + 3.0).abs() < 0.2, "{difference}");
        // Only the drawn schedule and its mirror image are this extreme.
        assert_eq!(analysis.p, Some(2.0 / 252.0));
        let (low, high) = analysis.interval.expect("an interval");
        assert!(
            low < difference && difference < high && high < 0.0,
            "{low} {high}"
        );
        assert_eq!(analysis.blocks_counted, 10);
        assert!(analysis.needed.is_empty());
        let sentence = analysis.sentence();
        assert!(
            sentence.starts_with(
                "Softened it: pain was 3.1 points lower with the change (95 % interval"
            ),
            "{sentence}"
        );
        println!("{sentence}");
    }

    #[test]
    fn worse_and_no_difference() {
        let schedule = schedule();
        assert_eq!(
            analyse(&schedule, &days(&schedule, 6.0, 3.0)).verdict,
            Verdict::SeemedWorse
        );
        let flat = analyse(&schedule, &days(&schedule, 4.0, 4.0));
        assert_eq!(flat.verdict, Verdict::NoClearDifference);
        assert_eq!(flat.verdict.words(), "No clear difference");
        let (low, high) = flat.interval.expect("an interval");
        assert!(low < 0.0 && high > 0.0);
    }

    #[test]
    fn wash_out_days_are_not_counted() {
        let schedule = schedule();
        let mut days = days(&schedule, 4.0, 4.0);
        for day in &mut days {
            if schedule.today(day.date).is_some_and(|side| side.washout) {
                day.pain = Some(10.0);
            }
        }
        let analysis = analyse(&schedule, &days);
        assert!(
            analysis
                .block_means
                .iter()
                .flatten()
                .all(|&mean| mean < 5.0)
        );
    }

    #[test]
    fn too_few_check_ins_say_what_is_needed() {
        let schedule = schedule();
        let mut days = days(&schedule, 3.0, 6.0);
        // Blocks 0 and 3 (both on) lose two of their three counted days.
        for day in &mut days {
            let side = schedule.today(day.date).expect("inside");
            let offset = schedule.start.until(day.date).expect("dates").get_days() % 4;
            if (side.block == 0 || side.block == 3) && offset >= 2 {
                day.pain = None;
            }
        }
        let analysis = analyse(&schedule, &days);
        assert_eq!(analysis.verdict, Verdict::NotEnoughCheckIns);
        assert_eq!(analysis.verdict.words(), "Not enough check-ins");
        assert_eq!(analysis.blocks_counted, 8);
        assert!(
            analysis
                .needed
                .contains("with the change has 3, without has 5"),
            "{}",
            analysis.needed
        );
        // One short block a side still leaves an exact test over the rest.
        days.retain(|day| schedule.today(day.date).is_some_and(|side| side.block != 3));
        let mut refilled = days.clone();
        refilled.extend(
            super::tests::days(&schedule, 3.0, 6.0)
                .into_iter()
                .filter(|day| schedule.today(day.date).is_some_and(|side| side.block == 3)),
        );
        let analysis = analyse(&schedule, &refilled);
        assert_eq!(analysis.blocks_counted, 9);
        assert_eq!(analysis.verdict, Verdict::Softened);
    }

    #[test]
    fn a_stopped_test_says_what_it_had_without_a_verdict() {
        let schedule = schedule();
        let days = days(&schedule, 3.0, 6.0);
        // Through block 4's last day: blocks 0-4, three on and two off.
        let analysis = so_far(&schedule, &days, date(2025, 3, 22));
        assert_eq!(analysis.verdict, Verdict::Stopped);
        assert_eq!(analysis.blocks_counted, 5);
        assert_eq!(analysis.p, None);
        assert_eq!(analysis.interval, None);
        assert!(analysis.difference.expect("both sides") < -2.5);
        let early = so_far(&schedule, &days, date(2025, 3, 5));
        assert_eq!(early.difference, None);
        assert!(!early.needed.is_empty());
    }
}
