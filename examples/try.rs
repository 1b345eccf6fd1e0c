fn main() {
    let args: Vec<String> = std::env::args().collect();
    for s in bibkey::builtins() {
        let _ = s;
    }
    let text = &args[1];
    for s in bibkey::builtins() {
        println!("{:16} {}", s.id(), s.romanize(text));
    }
    println!("key: {}", bibkey::key(text));
}
