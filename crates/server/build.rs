// The web console in web/dist is embedded at compile time; rebuild when it changes (including
// when it first appears, which rust-embed alone would not notice).
fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
}
