//! Prints the key of each line of stdin next to the line (a debugging aid).
use std::io::BufRead;
fn main() {
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        println!("{}\t{}", bibkey::key(&line), line);
    }
}
