/**
 * The policy networks: behaviour cloning by regression ({@code mlp}), a flow-matching action
 * head ({@code flow}, pi0-style, about ten Euler steps at inference) and an ACT-style transformer
 * ({@code act}, L1 loss, run with temporal ensembling), and diffusion ({@code diffusion}). Each maps an
 * encoded, normalised observation history, with camera frames where the policy reads them
 * ({@link kiban.policy.model.ObservationLayout}), to a normalised action chunk.
 */
package kiban.policy.model;
