fn main() {
    let a: Vec<String> = std::env::args().collect();
    let s = bibkey::Scheme::builtin(&a[1]).unwrap();
    println!("{}", s.reverse(&a[2]).unwrap());
}
