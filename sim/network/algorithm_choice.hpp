// Which algorithm runs a collective (NCCL's tuner, in outline), and what a template costs on an
// idle network.
//
// Contract
// - choose(work): the algorithm forced for the kind in the options, else, on a cluster whose
//   scale-up is a torus or a full mesh, the vendor library's algorithm (torus_ring, mesh_direct)
//   for all-reduce, reduce-scatter and all-gather where the group fits it, else: reduce-scatter and
//   all-gather ring; all-to-all pairwise; send_recv direct; expert dispatch/combine DeepEP
//   normal kernels where every node of the group has a same-rail partner, low-latency kernels
//   otherwise; all-reduce: NVLS where the NVSwitch reduces and it is faster than the ring on an
//   idle network, else tree while the ring is latency-bound (its latency exceeding its
//   bandwidth term), else ring. Choices that depend on placement (and, for all-reduce, size)
//   are memoised.
// - idle_seconds(template, payload): the template moving `payload` alone on the network
//   (fluid, exact, rates from LinkSharing) plus its latency.
#pragma once

#include "network/collective_templates.hpp"
#include "network/link_sharing.hpp"

#include <map>
#include <utility>

namespace tcsim::network {

/// What a collective carries, in the units its algorithm's bytes-per-payload are given: tokens
/// x bytes per token for expert dispatch/combine, `bytes` otherwise.
double payload_of(const collective::CommWork& work);

class AlgorithmChoice {
public:
    AlgorithmChoice(CollectiveTemplates& templates, LinkSharing& sharing,
                    std::map<collective::CollectiveKind, Algorithm> forced);

    Algorithm choose(const collective::CommWork& work);
    double idle_seconds(std::uint32_t collective, double payload);

private:
    using Key = std::pair<Signature, double>; ///< payload: all-reduce only, 0 otherwise
    CollectiveTemplates& templates_;
    LinkSharing& sharing_;
    std::map<collective::CollectiveKind, Algorithm> forced_;
    std::map<Key, Algorithm> memo_;
};

} // namespace tcsim::network
