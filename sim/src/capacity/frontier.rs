//! The cost/RTO frontier: the designs no other design beats on cost and
//! on every target at once (Pareto-optimal), cheapest first.

/// A design's position: its cost and its value per target (`None`: no
/// value, worse than any).
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Cost (lower is better).
    pub cost: f64,
    /// Per target (lower is better).
    pub values: Vec<Option<f64>>,
}

fn key(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::INFINITY)
}

/// Whether `a` (at index `ia`) dominates `b` (at index `ib`): no worse in
/// cost and in every value, and better in one, or equal everywhere and
/// earlier (so of equal designs the first stays).
pub fn dominates(a: &Position, ia: usize, b: &Position, ib: usize) -> bool {
    let pairs = std::iter::once((a.cost, b.cost)).chain(
        a.values
            .iter()
            .zip(&b.values)
            .map(|(&x, &y)| (key(x), key(y))),
    );
    let mut strictly = false;
    for (x, y) in pairs {
        if x > y {
            return false;
        }
        strictly |= x < y;
    }
    strictly || ia < ib
}

/// Indexes of the Pareto-optimal positions, by cost then index.
///
/// Contract: no returned position is dominated by any position; every
/// position left out is dominated by one returned.
pub fn frontier(positions: &[Position]) -> Vec<usize> {
    let mut keep: Vec<usize> = (0..positions.len())
        .filter(|&i| {
            !(0..positions.len()).any(|j| j != i && dominates(&positions[j], j, &positions[i], i))
        })
        .collect();
    keep.sort_by(|&a, &b| {
        positions[a]
            .cost
            .total_cmp(&positions[b].cost)
            .then(a.cmp(&b))
    });
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(cost: f64, values: &[Option<f64>]) -> Position {
        Position {
            cost,
            values: values.to_vec(),
        }
    }

    #[test]
    fn dominated_and_duplicate_designs_are_left_out() {
        let ps = vec![
            p(10.0, &[Some(5.0), Some(9.0)]), // 0: cheapest
            p(12.0, &[Some(4.0), Some(9.0)]), // 1: faster on one
            p(12.0, &[Some(4.0), Some(9.5)]), // 2: dominated by 1
            p(20.0, &[Some(1.0), Some(1.0)]), // 3: fastest
            p(20.0, &[Some(1.0), Some(1.0)]), // 4: same as 3, later
            p(25.0, &[None, Some(0.5)]),      // 5: best on the 2nd
            p(9.0, &[None, Some(99.0)]),      // 6: cheapest, no value
            p(30.0, &[None, Some(0.5)]),      // 7: dominated by 5
        ];
        let f = frontier(&ps);
        assert_eq!(f, [6, 0, 1, 3, 5]);
        for &i in &f {
            for (j, q) in ps.iter().enumerate() {
                assert!(j == i || !dominates(q, j, &ps[i], i), "{j} dominates {i}");
            }
        }
        for i in [2, 4, 7] {
            assert!(f.iter().any(|&j| dominates(&ps[j], j, &ps[i], i)), "{i}");
        }
    }
}
