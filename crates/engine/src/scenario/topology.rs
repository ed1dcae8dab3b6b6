//! The call graph with names resolved to indices, checked once when a scenario is read.

use super::Scenario;

/// The call graph of a checked scenario.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Topology {
    /// Index of the service users call.
    pub entry: usize,
    /// `calls[s]`: indices of the services `s` calls, in order.
    pub calls: Vec<Vec<usize>>,
    /// Every service once, each after all of its callers (entry first).
    pub order: Vec<usize>,
    /// `slo_service[i]`: index of the service SLO `i` measures.
    pub slo_service: Vec<usize>,
}

/// A problem in the call graph, at a byte offset of the file.
#[derive(Debug)]
pub(super) struct TopologyError {
    pub offset: usize,
    pub message: String,
}

impl Topology {
    /// Resolves names: unique service names, known callees, no cycles, everything reachable
    /// from the entry.
    pub(super) fn resolve(scenario: &Scenario) -> Result<Topology, TopologyError> {
        let services = &scenario.services;
        let index_of = |name: &str| services.iter().position(|s| s.name.get_ref() == name);
        let known = services
            .iter()
            .map(|s| s.name.get_ref().as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let unknown = |offset: usize, name: &str| TopologyError {
            offset,
            message: format!("no service is named {name:?} (services: {known})"),
        };
        for (i, service) in services.iter().enumerate() {
            let name = service.name.get_ref();
            if name.trim().is_empty() {
                return Err(TopologyError {
                    offset: service.name.span().start,
                    message: "expected a service name, found an empty string".into(),
                });
            }
            if index_of(name) != Some(i) {
                return Err(TopologyError {
                    offset: service.name.span().start,
                    message: format!("two services are named {name:?}; names must be unique"),
                });
            }
        }
        let entry = match &scenario.traffic.entry {
            Some(name) => index_of(name.get_ref())
                .ok_or_else(|| unknown(name.span().start, name.get_ref()))?,
            None => 0,
        };
        let mut calls = Vec::with_capacity(services.len());
        for (i, service) in services.iter().enumerate() {
            let mut callees = Vec::new();
            for call in &service.calls {
                let callee = index_of(call.get_ref())
                    .ok_or_else(|| unknown(call.span().start, call.get_ref()))?;
                if callee == i || callees.contains(&callee) {
                    return Err(TopologyError {
                        offset: call.span().start,
                        message: format!(
                            "{:?} is listed twice or calls itself; each call appears once",
                            call.get_ref()
                        ),
                    });
                }
                callees.push(callee);
            }
            calls.push(callees);
        }
        let order = callers_first(entry, &calls).map_err(|(caller, callee)| TopologyError {
            offset: services[caller].calls
                [calls[caller].iter().position(|&c| c == callee).unwrap_or(0)]
            .span()
            .start,
            message: format!(
                "calling {:?} from {:?} closes a loop; calls must form a tree or a DAG",
                services[callee].name.get_ref(),
                services[caller].name.get_ref()
            ),
        })?;
        let call_offset = |caller: usize, callee: usize| {
            services[caller].calls[calls[caller].iter().position(|&c| c == callee).unwrap_or(0)]
                .span()
                .start
        };
        if let Some((caller, callee, depth)) =
            deepest_call(&order, &calls, super::limits::MAX_CALL_DEPTH)
        {
            return Err(TopologyError {
                offset: call_offset(caller, callee),
                message: format!(
                    "this call makes a chain of {depth} services from the entry; the limit is {} (each request walks the chain every tick)",
                    super::limits::MAX_CALL_DEPTH
                ),
            });
        }
        let mut reached = vec![false; services.len()];
        for &s in &order {
            reached[s] = true;
        }
        if let Some(lost) = (0..services.len()).find(|&i| !reached[i]) {
            return Err(TopologyError {
                offset: services[lost].name.span().start,
                message: format!(
                    "service {:?} is never called: no path leads to it from the entry {:?}",
                    services[lost].name.get_ref(),
                    services[entry].name.get_ref()
                ),
            });
        }
        let mut slo_service = Vec::with_capacity(scenario.slos.len());
        for slo in &scenario.slos {
            slo_service.push(match &slo.service {
                Some(name) => index_of(name.get_ref())
                    .ok_or_else(|| unknown(name.span().start, name.get_ref()))?,
                None => entry,
            });
        }
        Ok(Topology {
            entry,
            calls,
            order,
            slo_service,
        })
    }

    /// Services whose calls `s` makes, deepest first reversed: callees come after callers
    /// in `order`, so walking `order` backwards meets every callee before its callers.
    pub fn callees(&self, s: usize) -> &[usize] {
        &self.calls[s]
    }
}

/// Orders the services reachable from `entry` so every caller precedes its callees
/// (depth-first post-order, reversed). A cycle is reported as the (caller, callee) call
/// that closes it. Walks with its own stack, not by recursion: the depth of a call chain is
/// the file's to choose, and the program's stack must not be.
fn callers_first(entry: usize, calls: &[Vec<usize>]) -> Result<Vec<usize>, (usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks = vec![Mark::New; calls.len()];
    let mut post = Vec::with_capacity(calls.len());
    // Each frame: a service and how many of its callees have been looked at.
    let mut stack = vec![(entry, 0)];
    marks[entry] = Mark::Open;
    while let Some(frame) = stack.last_mut() {
        let (s, next) = *frame;
        match calls[s].get(next) {
            Some(&callee) => {
                frame.1 += 1;
                match marks[callee] {
                    Mark::Open => return Err((s, callee)),
                    Mark::New => {
                        marks[callee] = Mark::Open;
                        stack.push((callee, 0));
                    }
                    Mark::Done => {}
                }
            }
            None => {
                marks[s] = Mark::Done;
                post.push(s);
                stack.pop();
            }
        }
    }
    post.reverse();
    Ok(post)
}

/// The longest chain of calls (in services, the entry counted) that reaches each service,
/// walked in callers-first order; and, for the first service deeper than `limit`, the call
/// (caller, callee) that takes it there.
fn deepest_call(
    order: &[usize],
    calls: &[Vec<usize>],
    limit: usize,
) -> Option<(usize, usize, usize)> {
    let mut depth = vec![0usize; calls.len()];
    if let Some(&entry) = order.first() {
        depth[entry] = 1;
    }
    for &s in order {
        for &callee in &calls[s] {
            depth[callee] = depth[callee].max(depth[s] + 1);
            if depth[callee] > limit {
                return Some((s, callee, depth[callee]));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_come_before_callees_and_loops_are_found() {
        // 0 → 1 → 3, 0 → 2 → 3
        let calls = vec![vec![1, 2], vec![3], vec![3], vec![]];
        let order = callers_first(0, &calls).expect("no loop");
        let pos = |s| {
            order
                .iter()
                .position(|&x| x == s)
                .expect("every service is ordered")
        };
        assert_eq!(order.len(), 4);
        assert!(pos(0) < pos(1) && pos(0) < pos(2) && pos(1) < pos(3) && pos(2) < pos(3));
        let looped = vec![vec![1], vec![2], vec![0]];
        assert_eq!(callers_first(0, &looped), Err((2, 0)));
    }
}
