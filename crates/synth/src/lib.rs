//! baas-synth
