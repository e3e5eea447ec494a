//! Runtime of aisecops (decision DAG, evaluation); grows with the runtime issue.
