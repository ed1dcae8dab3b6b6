//! Stable sorting with one compiled copy of a sort for the whole program. `sort_by` is
//! generic over the item and the comparison, so every call site with its own types ships
//! its own copy of the sort (about 4 KB of wasm each, nine of them in the page). Here only a
//! permutation of indices is sorted, through a comparison behind a `dyn` reference, by a
//! short merge sort: one small copy serves every caller (the standard library's stable sort
//! weighed 4.5 KB of wasm even once), and the result is exactly what `slice::sort_by` gives
//! (stable: equal items keep their order). The lists sorted here are short (faults,
//! moments, saved runs, a class's values), so the extra indirection costs nothing
//! measurable.

use std::cmp::Ordering;

/// The indices `0..n` in the order `cmp` puts them, equal ones in index order: a bottom-up
/// merge sort, O(n log n), that takes from the right run only when strictly less.
fn sorted_indices(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut merged = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut left, mut right) = (start, middle);
            for slot in &mut merged[start..end] {
                let from_right =
                    left == middle || (right < end && cmp(order[right], order[left]).is_lt());
                *slot = if from_right {
                    right += 1;
                    order[right - 1]
                } else {
                    left += 1;
                    order[left - 1]
                };
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

/// Sorts `items` by `cmp`, stably, as `slice::sort_by` does.
pub fn sort_by<T>(items: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = {
        let view: &[T] = items;
        sorted_indices(view.len(), &mut |a, b| cmp(&view[a], &view[b]))
    };
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `items` by the key `key` gives, stably, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_exactly_as_the_standard_stable_sort() {
        // Pairs with many equal keys, so stability shows.
        let mut state = 12_345u64;
        for len in [0, 1, 2, 7, 33, 500] {
            let items: Vec<(u8, u32)> = (0..len)
                .map(|i| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    ((state >> 59) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |(key, _)| *key);
            let mut std = items.clone();
            std.sort_by_key(|(key, _)| *key);
            assert_eq!(ours, std, "{len}");
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            let mut std = items;
            std.sort_by_key(|a| std::cmp::Reverse(a.0));
            assert_eq!(ours, std, "{len} descending");
        }
    }
}
