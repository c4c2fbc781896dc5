/* Word lists for the "words" index style: 128 adjectives x 128 nouns = 16,384 line names. */
#ifndef SEAL_LINES_WORDS_H
#define SEAL_LINES_WORDS_H

static const char *const adjectives[128] = {
    "able", "acid", "agile", "airy", "alert", "amber", "ample", "angry", "antic", "arid",
    "ashen", "awful", "azure", "bald", "bare", "beefy", "bleak", "blind", "blond", "bold",
    "bony", "bossy", "brave", "brief", "brisk", "broad", "bumpy", "busy", "calm", "chief",
    "chilly", "civil", "clean", "clever", "cloudy", "coarse", "cold", "cozy", "crisp", "cruel",
    "curly", "cute", "damp", "dapper", "dark", "deaf", "dear", "deep", "dense", "dizzy",
    "dreary", "dry", "dull", "dusty", "eager", "early", "easy", "elder", "empty", "epic",
    "faint", "fair", "fancy", "fast", "fierce", "firm", "flat", "fond", "frail", "free",
    "fresh", "funny", "fuzzy", "giant", "glad", "gloomy", "grand", "gray", "greedy", "grim",
    "hairy", "happy", "hardy", "harsh", "hasty", "heavy", "hollow", "humble", "hungry", "icy",
    "idle", "jolly", "keen", "kind", "lame", "large", "lazy", "lean", "lively", "lofty",
    "loud", "lucky", "mad", "meek", "merry", "mild", "misty", "moody", "muddy", "narrow",
    "neat", "noisy", "odd", "pale", "plain", "polite", "proud", "quick", "quiet", "rapid",
    "rough", "rusty", "shy", "silly", "sleepy", "slow", "sly", "torpid",
};

static const char *const nouns[128] = {
    "ant", "ape", "apple", "arch", "arm", "badge", "bag", "ball", "barn", "bat",
    "beach", "bean", "bear", "bed", "bee", "bell", "bird", "boat", "bone", "book",
    "boot", "bowl", "box", "bread", "brick", "bridge", "brush", "bucket", "bull", "cake",
    "camel", "candle", "cap", "car", "cart", "cat", "chair", "chalk", "cheese", "chin",
    "clock", "cloud", "coat", "comb", "cow", "crab", "crow", "cup", "desk", "dog",
    "door", "dove", "drum", "duck", "eagle", "egg", "elk", "fan", "farm", "fern",
    "fig", "fish", "flag", "fork", "fox", "frog", "gate", "goat", "grape", "hat",
    "hawk", "hen", "hill", "horn", "horse", "house", "jar", "jet", "key", "kid",
    "kite", "lamp", "leaf", "lemon", "lion", "lock", "map", "mole", "moon", "moth",
    "mouse", "mule", "nail", "nest", "net", "oak", "owl", "ox", "pan", "pear",
    "pen", "pig", "pike", "pine", "pipe", "plum", "pond", "pot", "rat", "reed",
    "ring", "rock", "rope", "rose", "sail", "seal", "sheep", "ship", "shoe", "sock",
    "spoon", "star", "swan", "table", "tent", "toad", "wolf", "yak",
};

#endif
