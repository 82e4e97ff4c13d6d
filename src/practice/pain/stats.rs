//! Small statistics shared by the pain screens: means, medians, a block shuffle test, the
//! Benjamini-Hochberg procedure and a correlation. No distributional assumptions anywhere.

/// The mean of the values, None when there are none.
pub(crate) fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values
        .into_iter()
        .fold((0.0, 0usize), |(sum, count), value| {
            (sum + value, count + 1)
        });
    (count > 0).then(|| sum / count as f64)
}

/// The median of the values, None when there are none.
pub(crate) fn median(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let mut sorted: Vec<f64> = values.into_iter().collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    })
}

/// Splits values at their own median into high (true) and low (false). Values equal to the
/// median go to whichever side gives the more even split, so a factor that is often exactly at
/// its median (whole numbers of micro-rests) is not split 80/20 by an accident of ties.
pub(crate) fn split_at_median(values: &[Option<f64>]) -> Vec<Option<bool>> {
    let Some(middle) = median(values.iter().flatten().copied()) else {
        return vec![None; values.len()];
    };
    let known = values.iter().flatten().count();
    let above = values.iter().flatten().filter(|&&v| v > middle).count();
    let at_or_above = values.iter().flatten().filter(|&&v| v >= middle).count();
    let half = known as f64 / 2.0;
    let ties_go_high = (at_or_above as f64 - half).abs() < (above as f64 - half).abs();
    values
        .iter()
        .map(|value| {
            value.map(|v| {
                if ties_go_high {
                    v >= middle
                } else {
                    v > middle
                }
            })
        })
        .collect()
}

/// The result of comparing an outcome between the days a label is true and the days it is
/// false, with a p-value from shuffling the labels in whole blocks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct BlockTest {
    /// Mean outcome on labelled days minus mean outcome on the other days.
    pub effect: f64,
    /// Two-sided: the share of shuffles (the observed order counted as one) at least as extreme.
    pub p: f64,
    /// Days with both a label and an outcome.
    pub days: usize,
    /// Of those, days with the label true.
    pub exposed: usize,
}

/// Sums of the outcome on the labelled (`high`) and other (`low`) days of one pairing of a
/// block of outcomes with a block of labels.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    high_sum: f64,
    high_days: usize,
    low_sum: f64,
    low_days: usize,
}

impl Tally {
    fn add(&mut self, label: bool, outcome: f64) {
        if label {
            self.high_sum += outcome;
            self.high_days += 1;
        } else {
            self.low_sum += outcome;
            self.low_days += 1;
        }
    }

    fn plus(self, other: Tally) -> Tally {
        Tally {
            high_sum: self.high_sum + other.high_sum,
            high_days: self.high_days + other.high_days,
            low_sum: self.low_sum + other.low_sum,
            low_days: self.low_days + other.low_days,
        }
    }

    fn effect(self) -> Option<f64> {
        (self.high_days > 0 && self.low_days > 0)
            .then(|| self.high_sum / self.high_days as f64 - self.low_sum / self.low_days as f64)
    }
}

/// Compares `outcome` between days whose `label` is true and false (both indexed by day), and
/// finds how unusual the difference is by moving the labels against the outcomes in whole
/// blocks of `block_days` consecutive days, so each block keeps its own run of similar days
/// (a day-by-day shuffle would pretend correlated days are independent and be overconfident).
/// The oldest `len % block_days` days stay in place so every block starts on the same weekday
/// when `block_days` is a multiple of 7. None when either side has no day.
pub(crate) fn block_shuffle_test(
    labels: &[Option<bool>],
    outcome: &[Option<f64>],
    block_days: usize,
    shuffles: usize,
    rng: &mut fastrand::Rng,
) -> Option<BlockTest> {
    let len = labels.len().min(outcome.len());
    let block_days = block_days.max(1);
    let blocks = len / block_days;
    let fixed = len % block_days;

    let tally = |outcome_start: usize, label_start: usize, count: usize| {
        let mut tally = Tally::default();
        for offset in 0..count {
            if let (Some(label), Some(value)) = (
                labels[label_start + offset],
                outcome[outcome_start + offset],
            ) {
                tally.add(label, value);
            }
        }
        tally
    };
    // Every pairing of an outcome block with a label block, summed once, so a shuffle costs
    // one addition per block rather than one per day.
    let fixed_tally = tally(0, 0, fixed);
    let pairings: Vec<Tally> = (0..blocks)
        .flat_map(|outcome_block| (0..blocks).map(move |label_block| (outcome_block, label_block)))
        .map(|(outcome_block, label_block)| {
            tally(
                fixed + outcome_block * block_days,
                fixed + label_block * block_days,
                block_days,
            )
        })
        .collect();
    let total = |order: &[usize]| {
        order
            .iter()
            .enumerate()
            .fold(fixed_tally, |sum, (outcome_block, &label_block)| {
                sum.plus(pairings[outcome_block * blocks + label_block])
            })
    };

    let mut order: Vec<usize> = (0..blocks).collect();
    let observed = total(&order);
    let effect = observed.effect()?;
    // A shuffle as extreme as the observed order, allowing for rounding in the sums.
    let tolerance = 1e-9;
    let mut as_extreme = 0usize;
    for _ in 0..shuffles {
        rng.shuffle(&mut order);
        if let Some(shuffled) = total(&order).effect()
            && shuffled.abs() >= effect.abs() - tolerance
        {
            as_extreme += 1;
        }
    }
    Some(BlockTest {
        effect,
        p: (as_extreme + 1) as f64 / (shuffles + 1) as f64,
        days: observed.high_days + observed.low_days,
        exposed: observed.high_days,
    })
}

/// Benjamini-Hochberg: which of the p-values stand out with the false discovery rate held at
/// `rate` across all of them.
pub(crate) fn benjamini_hochberg(p_values: &[f64], rate: f64) -> Vec<bool> {
    let count = p_values.len();
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let largest_passing_rank = order
        .iter()
        .enumerate()
        .filter(|&(rank, &index)| p_values[index] <= rate * (rank + 1) as f64 / count as f64)
        .map(|(rank, _)| rank + 1)
        .max()
        .unwrap_or(0);
    let mut passes = vec![false; count];
    for &index in &order[..largest_passing_rank] {
        passes[index] = true;
    }
    passes
}

/// Pearson's correlation between a yes/no label and an outcome over the days both are known;
/// None when either does not vary.
pub(crate) fn correlation(labels: &[Option<bool>], outcome: &[Option<f64>]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = labels
        .iter()
        .zip(outcome)
        .filter_map(|(label, value)| Some((if (*label)? { 1.0 } else { 0.0 }, (*value)?)))
        .collect();
    let mean_x = mean(pairs.iter().map(|&(x, _)| x))?;
    let mean_y = mean(pairs.iter().map(|&(_, y)| y))?;
    let (mut covariance, mut variance_x, mut variance_y) = (0.0, 0.0, 0.0);
    for &(x, y) in &pairs {
        covariance += (x - mean_x) * (y - mean_y);
        variance_x += (x - mean_x) * (x - mean_x);
        variance_y += (y - mean_y) * (y - mean_y);
    }
    (variance_x > 0.0 && variance_y > 0.0).then(|| covariance / (variance_x * variance_y).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_median() {
        assert_eq!(mean([1.0, 2.0, 6.0]), Some(3.0));
        assert_eq!(mean([]), None);
        assert_eq!(median([5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median([4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median([]), None);
    }

    #[test]
    fn ties_at_the_median_go_to_the_more_even_side() {
        let values = [Some(1.0), Some(2.0), Some(2.0), Some(2.0), Some(5.0), None];
        // Median 2: "> 2" gives 1 of 5 high, ">= 2" gives 4 of 5: equally uneven, so "> 2".
        let split = split_at_median(&values);
        assert_eq!(split[5], None);
        assert_eq!(split.iter().flatten().filter(|&&high| high).count(), 1);
        let values = [Some(1.0), Some(2.0), Some(2.0), Some(3.0), Some(4.0)];
        let split = split_at_median(&values);
        assert_eq!(split.iter().flatten().filter(|&&high| high).count(), 2);
    }

    #[test]
    fn benjamini_hochberg_steps_up() {
        // Ranks 1..4 against 0.1 * rank / 4: 0.025, 0.05, 0.075, 0.1.
        assert_eq!(
            benjamini_hochberg(&[0.04, 0.03, 0.5, 0.07], 0.1),
            vec![true, true, false, true]
        );
        assert_eq!(benjamini_hochberg(&[0.2, 0.3], 0.1), vec![false, false]);
        assert!(benjamini_hochberg(&[], 0.1).is_empty());
    }

    #[test]
    fn block_test_finds_a_clear_difference_and_counts_days() {
        let labels: Vec<Option<bool>> = (0..140).map(|day| Some((day / 14) % 2 == 0)).collect();
        let outcome: Vec<Option<f64>> = labels
            .iter()
            .enumerate()
            .map(|(day, label)| {
                (day % 10 != 3).then_some(if label == &Some(true) { 6.0 } else { 4.0 })
            })
            .collect();
        let mut rng = fastrand::Rng::with_seed(1);
        let test =
            block_shuffle_test(&labels, &outcome, 14, 199, &mut rng).expect("both sides have days");
        assert!((test.effect - 2.0).abs() < 1e-9);
        // Only 2 of the C(10,5) = 252 ways to place the five labelled blocks are this extreme.
        assert!(test.p <= 0.05, "p = {}", test.p);
        assert_eq!(test.days, 126);
        assert_eq!(test.exposed, 63);
    }

    #[test]
    fn block_test_needs_both_sides() {
        let labels = vec![Some(true); 30];
        let outcome = vec![Some(3.0); 30];
        let mut rng = fastrand::Rng::with_seed(1);
        assert_eq!(block_shuffle_test(&labels, &outcome, 14, 9, &mut rng), None);
    }

    #[test]
    fn correlation_of_a_label_with_an_outcome() {
        let labels = [Some(true), Some(false), Some(true), Some(false), None];
        let outcome = [Some(2.0), Some(0.0), Some(2.0), Some(0.0), Some(9.0)];
        let r = correlation(&labels, &outcome).expect("both vary");
        assert!((r - 1.0).abs() < 1e-12);
        assert_eq!(
            correlation(&[Some(true), Some(true)], &[Some(1.0), Some(2.0)]),
            None
        );
    }
}
