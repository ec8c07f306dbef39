"""Independent expected values from TensorFlow, Keras and scikit-learn.

``store`` keeps them with the project (and recomputes them live on request); ``keras_rnn`` and
``tf_bptt`` compute them; ``tf_env`` imports TensorFlow lazily and quietly, TF32 off on a GPU.
"""
