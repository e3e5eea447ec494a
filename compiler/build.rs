//! Generates the LALRPOP parser from `src/grammar.lalrpop` into `OUT_DIR`.
fn main() {
    println!("cargo::rerun-if-changed=src/grammar.lalrpop");
    if let Err(err) = lalrpop::Configuration::new().use_cargo_dir_conventions().process() {
        println!("cargo::error=lalrpop failed: {err}");
    }
}
