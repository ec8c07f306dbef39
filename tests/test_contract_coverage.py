"""Every rule of the exercise contract has a check that covers it and a mutant that breaks it (issue 11 §1).

The table below goes through the contract (the exercises' sections, as docs/exercises.md restates them) line by
line: each rule, quoted or paraphrased with its section, the check of the spec that covers it, and the mutant
(``tests/mutants/exercise_NN*.toml``) that breaks it. This test asserts that no entry is empty, that the check
exists in the exercise's spec, and that the mutant exists and is expected to fail that check (its ``check``,
``fails`` or ``also``). tests/test_every_exercise.py grades every mutant and asserts that each of those checks
fails with the mutant's words, so a rule listed here is broken by real code and caught; this file stays cheap (no
grading) and says *which* rule each check and mutant stand for.
"""
from __future__ import annotations

from typing import NamedTuple

import pytest

from mutation import get_mutant
from grader.specs import get_exercise


class Rule(NamedTuple):
    exercise: str  # "01" ... "08"
    section: str   # where the rule is: a function, a class, or "conventions"
    rule: str      # the rule, quoted or paraphrased
    check: str     # the check that covers it
    mutant: str    # a mutant that breaks it (and fails that check)


R = Rule
RULES: tuple[Rule, ...] = (
    # ---- conventions (every exercise) ----
    R("03", "conventions", "inputs are batch-first: xt is [batch, n_x], so z = U xt^T", "forward_tanh",
      "xt_not_transposed"),
    R("03", "conventions", "z_t = U x_t^T + W h_{t-1} + b (U input to hidden, W hidden to hidden)", "forward_tanh",
      "swapped_UW"),
    R("03", "conventions", "o_t = V h_t + c, with c a column", "isolate_c", "missing_c"),
    R("03", "conventions", "y_hat = softmax(o) over the class axis (axis 0)", "softmax_columns",
      "softmax_wrong_axis"),
    R("03", "conventions", "cross-entropy at one step is the batch mean of -sum(y * log(y_hat)) over classes", "loss",
      "loss_mean_all_elements"),
    R("01", "conventions", "a function never modifies its arguments in place", "cosine_basic",
      "rule_normalise_in_place"),
    R("03", "conventions", "a function never modifies its arguments in place", "no_mutation",
      "input_modified_in_place"),
    R("04", "conventions", "a function never modifies its arguments in place", "no_mutation",
      "params_modified_in_place"),
    R("05", "conventions", "a function never modifies its arguments in place", "global_no_mutation",
      "global_in_place"),
    R("05", "conventions", "it returns new arrays (also when nothing is clipped)", "norm_new_array",
      "diag_norm_returns_t"),
    R("05", "conventions", "float results keep float32 where the input is float32 (clip_by_value)", "value_float32",
      "rule_value_float64"),
    # ---- exercise-01 ----
    R("01", "cosine_similarity", "returns a·b / (|a||b|)", "cosine_scale", "cosine_not_normalised"),
    R("01", "cosine_similarity", "returns a·b / (|a||b|), not the Pearson correlation", "cosine_basic",
      "diag_pearson"),
    R("01", "cosine_similarity", "each vector's own norm (|a||b|, not |a|²)", "cosine_norms", "cosine_norm_a_twice"),
    R("01", "cosine_similarity", "the sign is kept (opposite vectors give -1)", "cosine_sign", "cosine_abs"),
    R("01", "cosine_similarity", "a and b are 1-D array-likes (Python lists too)", "cosine_lists",
      "rule_lists_not_converted"),
    R("01", "cosine_similarity", "returns 0.0 if either vector is all zeros", "cosine_zero", "cosine_zero_nan"),
    R("01", "cosine_similarity", "all zeros, not entries that sum to zero", "cosine_sum_zero",
      "diag_zero_test_by_sum"),
    R("01", "cosine_similarity", "raises ValueError if the lengths differ", "cosine_lengths_differ",
      "rule_length_assert"),
    R("01", "cosine_similarity", "-> float: one number, not an array", "cosine_basic", "rule_returns_array"),
    R("01", "most_similar", "the topn words with the highest cosine, highest first", "most_similar_default",
      "most_similar_ascending"),
    R("01", "most_similar", "returns topn words (the argument, default 5)", "most_similar_topn",
      "most_similar_fixed_five"),
    R("01", "most_similar", "word itself is never in the list", "most_similar_default", "most_similar_includes_self"),
    R("01", "most_similar", "raises KeyError if word is missing", "most_similar_missing",
      "rule_missing_word_empty_list"),
    R("01", "most_similar", "with their scores: cosine similarities, not dot products", "most_similar_default",
      "rule_scores_are_dot_products"),
    R("01", "analogy", "maximises cosine_similarity(v_b - v_a + v_c, v_d)", "analogy_people",
      "analogy_reversed_offset"),
    R("01", "analogy", "the word with the largest cosine, also when every cosine is negative",
      "analogy_all_negative", "diag_analogy_best_from_zero"),
    R("01", "analogy", "by cosine, not dot product (candidates of different lengths)", "analogy_all_negative",
      "diag_analogy_dot"),
    R("01", "analogy", "a, b and c themselves are excluded", "analogy_places_verbs", "analogy_only_c_excluded"),
    # ---- exercise-02 ----
    R("02", "load_embed", "reads UTF-8", "load_utf8", "load_ascii_ignore"),
    R("02", "load_embed", "the word and then its values, separated by whitespace (tabs, runs of spaces)",
      "load_whitespace", "rule_load_split_on_space"),
    R("02", "load_embed", "the word is the first token, the values all the others", "load_values",
      "load_slice_from_2"),
    R("02", "load_embed", "values become float32 1-D arrays", "load_values", "load_float64"),
    R("02", "load_embed", "blank lines are skipped", "load_blank_lines", "load_crash_on_blank"),
    R("02", "load_embed", "if a word appears twice, the later line wins", "load_duplicate",
      "load_first_duplicate_wins"),
    R("02", "load_embed", "a line whose number of values differs from the first line's raises ValueError",
      "load_ragged_long", "load_ragged_accepted"),
    R("02", "load_embed", "the message names the line number (counting blank lines)", "load_ragged_short",
      "load_line_number_skips_blanks"),
    R("02", "load_embed", "the message names the line number (counting from 1: the number itself is compared)",
      "load_ragged_short", "rule_line_number_from_0"),
    R("02", "build_embedding_matrix", "row i holds the vector of the word whose index is i; row 0 is padding",
      "matrix_rows", "matrix_rows_shifted"),
    R("02", "build_embedding_matrix", "rows of words not in embedding_map stay zero", "matrix_rows",
      "matrix_oov_random"),
    R("02", "build_embedding_matrix", "only where i < num_words", "matrix_num_words", "matrix_index_error"),
    R("02", "build_embedding_matrix", "also returns the number of rows filled", "matrix_num_words",
      "matrix_wrong_count"),
    R("02", "build_embedding_matrix", "a float32 matrix", "matrix_dtype", "matrix_float64"),
    R("02", "pad_sequences", "identical to keras.utils.pad_sequences: padding='pre' pads at the start",
      "pad_defaults", "pad_post_for_pre"),
    R("02", "pad_sequences", "identical to keras: truncating='pre' drops the start", "pad_pre_pre",
      "pad_truncate_wrong_end"),
    R("02", "pad_sequences", "identical to keras: padding positions hold value", "pad_post_post",
      "pad_value_ignored"),
    R("02", "pad_sequences", "identical to keras for empty sequences", "pad_defaults", "diag_pad_empty_slice"),
    R("02", "pad_sequences", "maxlen=None means the length of the longest sequence (here not the first)",
      "pad_defaults", "rule_pad_maxlen_first"),
    R("02", "pad_sequences", "the result is int32", "pad_dtype", "pad_int64"),
    R("02", "pad_sequences", "any other value of padding raises ValueError", "pad_bad_padding",
      "rule_pad_padding_unchecked"),
    R("02", "pad_sequences", "any other value of truncating raises ValueError", "pad_bad_truncating",
      "pad_no_valueerror"),
    # ---- exercise-03 ----
    R("03", "MyRNNCell", "U, W, V, b, c are None until built", "build", "diag_init_params_not_none"),
    R("03", "MyRNNCell.build", "takes (batch, n_x) and creates parameters of the right shapes", "build",
      "build_uses_batch_dim"),
    R("03", "MyRNNCell.build", "biases are columns (b is [n_h, 1])", "build", "wrong_bias_shape_build"),
    R("03", "MyRNNCell.build", "sets built = True (else call() replaces the weights the grader set)",
      "forward_tanh", "diag_built_never_set"),
    R("03", "MyRNNCell.activate", "supports 'tanh'", "forward_tanh", "no_activation"),
    R("03", "MyRNNCell.activate", "supports 'sigmoid'", "activate_sigmoid", "wrong_sigmoid"),
    R("03", "MyRNNCell.activate", "any other name raises ValueError", "activate_unknown", "activate_no_valueerror"),
    R("03", "MyRNNCell.softmax", "numerically stable: logits of size 1000 must not overflow", "softmax_large",
      "unstable_softmax"),
    R("03", "MyRNNCell.softmax", "stable per column (a global max underflows columns far below it)",
      "softmax_large", "diag_softmax_global_max"),
    R("03", "MyRNNCell.loss", "the cross-entropy above (with its minus sign)", "loss", "loss_no_minus"),
    R("03", "MyRNNCell.loss", "the batch mean, not the sum", "loss", "loss_summed"),
    R("03", "MyRNNCell.call", "computes one step and returns (o, ht): o from the new state", "forward_tanh",
      "output_from_previous_state"),
    R("03", "MyRNNCell.call", "o are the logits (softmax only in y_hat)", "forward_tanh", "returns_probabilities"),
    R("03", "MyRNNCell.call", "stores self.y_hat", "forward_tanh", "y_hat_not_set"),
    R("03", "MyRNNCell.call", "builds the cell on the first call (only then)", "forward_tanh", "rebuild_every_call"),
    R("03", "MyRNNCell.call", "one step: the weights the grader set stay as they are (never written into)",
      "sequence", "diag_call_writes_bias"),
    R("03", "MyRNNCell.__call__", "__call__ does the same", "call_builds", "call_dunder_missing"),
    R("03", "Keras equivalent", "SimpleRNNCell with set_weights([U.T, W.T, b.ravel()])", "isolate_Wh",
      "W_transposed"),
    # ---- exercise-04 ----
    R("04", "rnn_forward", "H is [T+1, n_h, batch]", "forward_shapes", "rule_H_without_h0"),
    R("04", "rnn_forward", "H[0] = h0", "forward_h0", "forward_ignores_h0"),
    R("04", "rnn_forward", "Y_hat is [T, n_o, batch], in time order", "forward_values", "forward_time_reversed"),
    R("04", "rnn_forward", "y_hat_t = softmax(o_t) over the class axis of each step", "forward_values",
      "diag_forward_softmax_whole"),
    R("04", "rnn_forward", "activation='sigmoid' is the logistic sigmoid", "forward_values",
      "diag_forward_sigmoid_tanh_no_half"),
    R("04", "rnn_loss", "'all' sums the per-step cross-entropy over every time step", "loss_all",
      "loss_averaged_over_time"),
    R("04", "rnn_loss", "'last' uses the last step only", "loss_last", "rule_last_is_first_step"),
    R("04", "rnn_backward", "the derivative of your own rnn_loss: a wrong loss is named first (fix rnn_loss first)",
      "fd_U", "rule_last_is_first_step"),
    R("04", "rnn_backward", "the gradients of rnn_loss(rnn_forward(...)[1], y, mode)", "grad_W",
      "no_carried_gradient"),
    R("04", "rnn_backward", "with respect to the given mode ('last')", "grad_V", "mode_last_ignored"),
    R("04", "rnn_backward", "each the same shape as its parameter (db summed over the batch)", "grad_b",
      "db_averaged_over_batch"),
    R("04", "rnn_backward", "and with respect to 'h0'", "grad_h0", "h0_grad_missing"),
    R("04", "rnn_backward", "the h0 gradient is W^T dz_1 (not dz_1), with the step sums right", "grad_h0",
      "diag_h0_grad_is_dz1"),
    R("04", "rnn_backward", "the derivative of the given activation (sigmoid)", "grad_b",
      "tanh_derivative_for_sigmoid"),
    R("04", "rnn_backward", "every step back to step 1 (also T = 1)", "grad_W", "diag_loop_misses_step_1"),
    R("04", "rnn_backward", "the exact gradients: nothing clipped inside rnn_backward", "grad_U",
      "diag_clipped_inside_backward"),
    R("04", "rnn_backward", "returns a new dict of new arrays (never the params arrays)", "no_mutation",
      "diag_grads_alias_params"),
    R("04", "Keras equivalent", "the same computation under tf.GradientTape", "grad_U", "grads_averaged_over_time"),
    # ---- exercise-05 ----
    R("05", "clip_by_value", "computes maximum(minimum(t, max), min)", "value_basic", "rule_value_upper_only"),
    R("05", "clip_by_value", "when min > max every element becomes min (not np.clip)", "value_min_above_max",
      "value_np_clip"),
    R("05", "clip_by_norm", "t * clip_norm / max(l2norm(t, axes), clip_norm), the L2 norm", "norm_clips",
      "diag_spectral_norm"),
    R("05", "clip_by_norm", "an all-zero tensor stays zero", "norm_zero", "norm_zero_nan"),
    R("05", "clip_by_norm", "a tensor is never scaled up", "norm_below", "norm_scales_up"),
    R("05", "clip_by_norm", "axes clips each slice on its own", "norm_axes_rows", "norm_axes_ignored"),
    R("05", "clip_by_norm", "axes: the norm keeps its axes to broadcast", "norm_axes_rows", "diag_norm_no_keepdims"),
    R("05", "clip_by_norm", "a float32 tensor stays float32", "norm_float32", "rule_norm_float64"),
    R("05", "global_norm", "the square root of the sum of squares of every entry", "global_norm_basic",
      "global_norm_no_sqrt"),
    R("05", "global_norm", "None entries are skipped", "global_norm_none", "rule_global_norm_none_kept"),
    R("05", "global_norm", "an empty list gives 0.0", "global_norm_empty", "rule_global_norm_concatenate"),
    R("05", "clip_by_global_norm", "returns (clipped, norm) as a tuple", "global_returns_tuple",
      "global_returns_list"),
    R("05", "clip_by_global_norm", "norm is the global norm before clipping", "global_clip",
      "global_returns_clipped_norm"),
    R("05", "clip_by_global_norm", "or use_norm when it is given", "global_use_norm", "global_use_norm_ignored"),
    R("05", "clip_by_global_norm", "'given' is not 'truthy': use_norm=0.0 is given", "global_use_norm_zero",
      "diag_use_norm_truthy"),
    R("05", "clip_by_global_norm", "every array is scaled by the same clip_norm / max(norm, clip_norm)",
      "global_clip", "global_per_tensor"),
    R("05", "clip_by_global_norm", "the ratio is clip_norm / norm, not norm / clip_norm", "global_clip",
      "diag_inverted_ratio"),
    R("05", "clip_by_global_norm", "max(norm, clip_norm): gradients below clip_norm are not scaled up",
      "global_below", "rule_global_scales_up"),
    R("05", "clip_by_global_norm", "None entries stay None in the same positions", "global_none",
      "global_drops_none"),
    R("05", "clip_by_global_norm", "a non-finite norm makes every output NaN", "global_inf", "global_inf_finite"),
    R("05", "clip_by_global_norm", "a t_list that is not a list or tuple raises TypeError", "global_not_a_list",
      "rule_no_type_check"),
    R("05", "clip_by_global_norm", "a tuple is a list or tuple: it is accepted", "global_tuple",
      "diag_tuple_refused"),
    R("05", "clip_by_global_norm", "returns new arrays, also below clip_norm", "global_new_arrays",
      "rule_global_same_arrays_below"),
    R("05", "clip_by_global_norm", "a float32 array stays float32", "global_float32", "rule_global_float64"),
    # ---- exercise-06 ----
    R("06", "power_norms", "the Frobenius norms of W^1 ... W^k", "power_norms", "power_spectral_norm"),
    R("06", "power_norms", "matrix powers, not elementwise ones", "power_norms", "power_elementwise"),
    R("06", "power_norms", "starting at W^1, not W^0", "power_norms", "power_from_zero"),
    R("06", "power_norms", "norms, with the square root", "power_norms_chapter", "power_no_sqrt"),
    R("06", "spectral_radius", "the largest absolute eigenvalue (general W, complex eigenvalues)",
      "radius_nonsymmetric", "radius_eigh"),
    R("06", "spectral_radius", "absolute: a negative eigenvalue counts by its size", "radius_negative",
      "radius_no_abs"),
    R("06", "spectral_radius", "a float: the modulus of a complex eigenvalue", "radius_nonsymmetric", "radius_complex"),
    R("06", "gradient_regime", "'exploding' above 1 + tol, 'vanishing' below 1 - tol", "regime", "regime_swapped"),
    R("06", "gradient_regime", "'stable' inside the band 1 ± tol", "regime_band", "regime_no_tol"),
    R("06", "gradient_regime", "the band is 1 ± tol, not the other way round", "regime_band", "regime_band_wrong_way"),
    R("06", "hidden_jacobian_norms", "entry t is the spectral norm of ∂h_T/∂h_t", "jacobian_tanh",
      "jacobian_frobenius"),
    R("06", "hidden_jacobian_norms", "the Jacobian uses the activation's derivative (sigmoid)", "jacobian_sigmoid",
      "jacobian_tanh_derivative_for_sigmoid"),
    R("06", "hidden_jacobian_norms", "shape (T+1,), the last entry 1", "jacobian_one_step",
      "jacobian_first_entry_missing"),
    R("06", "hidden_jacobian_norms", "one sequence from h0", "jacobian_tanh", "jacobian_ignores_h0"),
    R("06", "hidden_jacobian_norms", "∂h_T/∂h_t multiplies the step Jacobians in order, with W^T", "jacobian_tanh",
      "jacobian_w_not_transposed"),
    R("06", "hidden_jacobian_norms", "entry t is for h_t (not off by one)", "jacobian_tanh", "jacobian_off_by_one"),
    R("06", "conventions", "a function never modifies its arguments in place", "no_mutation",
      "jacobian_writes_into_h0"),
    # ---- exercise-07 ----
    R("07", "sgd_step", "returns new parameters p - lr * g", "sgd_plain", "sgd_gradient_added"),
    R("07", "sgd_step", "with the learning rate lr", "sgd_plain", "sgd_lr_ignored"),
    R("07", "sgd_step", "when clip_norm is given, the gradients are clipped together (global norm)", "sgd_clipped",
      "sgd_clips_per_tensor"),
    R("07", "sgd_step", "clip_norm is used when given", "sgd_clipped", "sgd_clip_ignored"),
    R("07", "sgd_step", "clipping never scales small gradients up", "sgd_small_gradients", "sgd_scales_up"),
    R("07", "sgd_step", "the inputs are not modified", "sgd_no_mutation", "sgd_in_place"),
    R("07", "train_rnn", "a many-to-one classifier (mode='last')", "train_many_to_one", "train_mode_all"),
    R("07", "train_rnn", "returns the mean training loss of each epoch", "train_losses", "train_loss_per_batch"),
    R("07", "train_rnn", "one loss per epoch (epochs of them)", "train_losses", "train_epochs_off_by_one"),
    R("07", "train_rnn", "the same seed gives the same result (shuffling)", "train_reproducible",
      "train_shuffle_not_seeded"),
    R("07", "train_rnn", "the same seed gives the same result (initial weights)", "train_reproducible",
      "train_init_not_seeded"),
    R("07", "train_rnn", "it trains: the returned parameters are the updated ones", "train_learns",
      "train_update_discarded"),
    R("07", "predict", "the predicted class index of each sequence", "predict", "predict_probabilities"),
    R("07", "predict", "from the last step (many-to-one)", "predict", "predict_first_step"),
    R("07", "predict", "one class index per sequence (the argmax over classes)", "predict", "predict_batch_axis"),
    # ---- exercise-08 ----
    R("08", "build_text_cnn", "uncompiled keras.Model (Keras 3, no input_length)", "cnn_keras3",
      "chapter_input_length+cnn_compiled"),
    R("08", "build_text_cnn", "a frozen Embedding", "cnn_embedding", "rnn_no_return_sequences+cnn_trainable"),
    R("08", "build_text_cnn", "the Embedding initialised with embedding_matrix", "cnn_embedding",
      "rnn_no_return_sequences_input+cnn_embedding_random"),
    R("08", "build_text_cnn", "three rounds of Conv1D(128, 5, relu)", "cnn_config",
      "rnn_second_dropout_missing+cnn_kernel_3"),
    R("08", "build_text_cnn", "the first two rounds each followed by MaxPooling1D(5)", "cnn_layers",
      "rnn_dropout_layer_missing+cnn_second_pool_missing"),
    R("08", "build_text_cnn", "the third followed by GlobalMaxPooling1D", "cnn_layers",
      "rnn_lstm+cnn_global_average"),
    R("08", "build_text_cnn", "Dense(128, relu)", "cnn_config", "rnn_no_sigmoid+cnn_dense_linear"),
    R("08", "build_text_cnn", "Dense(n_classes, softmax)", "cnn_config", "rnn_both_return_sequences+cnn_no_softmax"),
    R("08", "build_sentiment_rnn", "an uncompiled keras.Model (Keras 3, no input_length)", "rnn_keras3",
      "chapter_input_length+cnn_compiled"),
    R("08", "build_sentiment_rnn", "SimpleRNN(units, dropout=0.5, return_sequences=True), then SimpleRNN(units, "
      "dropout=0.5)", "rnn_config", "rnn_no_return_sequences+cnn_trainable"),
    R("08", "build_sentiment_rnn", "SimpleRNN, not another recurrent layer", "rnn_layers",
      "rnn_lstm+cnn_global_average"),
    R("08", "build_sentiment_rnn", "dropout=0.5 on the second SimpleRNN too (not recurrent_dropout)", "rnn_config",
      "rnn_recurrent_dropout+cnn_64_filters"),
    R("08", "build_sentiment_rnn", "Dense(32, relu), then Dropout(0.5)", "rnn_layers",
      "rnn_dropout_layer_missing+cnn_second_pool_missing"),
    R("08", "build_sentiment_rnn", "Dense(1, sigmoid)", "rnn_config", "rnn_no_sigmoid+cnn_dense_linear"),
)

# The functions (and the class) of each exercise's section of the contract: each one has at least one rule above.
CONTRACT = {
    "01": ("cosine_similarity", "most_similar", "analogy"),
    "02": ("load_embed", "build_embedding_matrix", "pad_sequences"),
    "03": ("MyRNNCell", "MyRNNCell.build", "MyRNNCell.activate", "MyRNNCell.softmax", "MyRNNCell.loss",
           "MyRNNCell.call", "MyRNNCell.__call__", "Keras equivalent"),
    "04": ("rnn_forward", "rnn_loss", "rnn_backward", "Keras equivalent"),
    "05": ("clip_by_value", "clip_by_norm", "global_norm", "clip_by_global_norm"),
    "06": ("power_norms", "spectral_radius", "gradient_regime", "hidden_jacobian_norms"),
    "07": ("sgd_step", "train_rnn", "predict"),
    "08": ("build_text_cnn", "build_sentiment_rnn"),
}


def _id(rule: Rule) -> str:
    return f"{rule.exercise}:{rule.section}:{rule.mutant}"


def test_no_rule_has_an_empty_entry_and_no_rule_is_listed_twice():
    assert all(all(str(part).strip() for part in rule) for rule in RULES)
    assert len({(r.exercise, r.rule) for r in RULES}) == len(RULES)


def test_every_function_of_the_contract_has_rules():
    sections = {(r.exercise, r.section) for r in RULES}
    missing = [(ex, name) for ex, names in CONTRACT.items() for name in names if (ex, name) not in sections]
    assert not missing


@pytest.mark.parametrize("rule", RULES, ids=_id)
def test_the_rule_has_a_check_and_a_mutant_that_fails_it(rule: Rule):
    exercise_id = f"exercise-{rule.exercise}"
    checks = {c.name for c in get_exercise(exercise_id).checks}
    assert rule.check in checks, f"{exercise_id} has no check {rule.check!r}"
    mutant = get_mutant(exercise_id, rule.mutant)
    expected_to_fail = {mutant.check, *mutant.fails, *(check for check, _ in mutant.also)}
    assert rule.check in expected_to_fail, (
        f"{rule.mutant} is not expected to fail {rule.check} (it fails {sorted(expected_to_fail)}): add the check "
        "to the mutant's `fails` so that tests/test_every_exercise.py proves it")
