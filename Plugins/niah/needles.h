/*
 * Needles of the niah task: invented facts with a question and the words of the answer.
 * Written for seal (Apache-2.0). Evaluation and training needles share no names, places or
 * answers, so SEAL scales tuned on training samples are never tested on what they saw.
 */
#ifndef SEAL_NIAH_NEEDLES_H
#define SEAL_NIAH_NEEDLES_H

typedef struct needle {
    const char *sentence;
    const char *question;
    const char *prefix;   /* answer prefix; the label is "<prefix> <answer>." */
    const char *answer;
} needle;

static const needle evaluation_needles[10] = {
    { "The best thing to do in the harbour town of Calder is to eat a smoked fish sandwich on the old pier at sunset.",
      "What is the best thing to do in the harbour town of Calder?", "The best thing to do in Calder is to",
      "eat a smoked fish sandwich on the old pier at sunset" },
    { "The secret ingredient in Grandmother Ilse's plum cake is a spoonful of black pepper.",
      "What is the secret ingredient in Grandmother Ilse's plum cake?", "The secret ingredient is",
      "a spoonful of black pepper" },
    { "The lighthouse keeper on Marrow Island named his cat Admiral Whiskers.",
      "What did the lighthouse keeper on Marrow Island name his cat?", "He named his cat", "Admiral Whiskers" },
    { "The password to the old observatory is silver comet, written under the third step.",
      "What is the password to the old observatory?", "The password is", "silver comet" },
    { "Professor Lind keeps her spare keys inside a hollow copy of a dictionary.",
      "Where does Professor Lind keep her spare keys?", "She keeps them", "inside a hollow copy of a dictionary" },
    { "The festival in Varnby always ends with a race of wooden ducks down the mill stream.",
      "How does the festival in Varnby always end?", "It ends with", "a race of wooden ducks down the mill stream" },
    { "The treasure of the Orlan family was buried beneath the crooked apple tree behind the chapel.",
      "Where was the treasure of the Orlan family buried?", "It was buried",
      "beneath the crooked apple tree behind the chapel" },
    { "The favourite colour of the painter Tomas Brev was a deep mustard yellow.",
      "What was the favourite colour of the painter Tomas Brev?", "His favourite colour was", "a deep mustard yellow" },
    { "The night train to Essenmoor leaves from platform nine at a quarter past eleven.",
      "When and where does the night train to Essenmoor leave?", "It leaves",
      "from platform nine at a quarter past eleven" },
    { "The village of Holloway Cross is famous for its giant pumpkin soup served in a hollow pumpkin.",
      "What is the village of Holloway Cross famous for?", "It is famous for",
      "its giant pumpkin soup served in a hollow pumpkin" },
};

static const needle training_needles[10] = {
    { "The best view in the mountain village of Pell is from the bell tower of the wool market.",
      "Where is the best view in the mountain village of Pell?", "The best view is",
      "from the bell tower of the wool market" },
    { "Captain Roan hid the ship's log inside a barrel of dried apricots.",
      "Where did Captain Roan hide the ship's log?", "He hid it", "inside a barrel of dried apricots" },
    { "The baker in Sollen Street adds a pinch of cardamom to every loaf.",
      "What does the baker in Sollen Street add to every loaf?", "He adds", "a pinch of cardamom" },
    { "The museum in Dunmere keeps a clock that runs backwards in its entrance hall.",
      "What does the museum in Dunmere keep in its entrance hall?", "It keeps", "a clock that runs backwards" },
    { "Aunt Marit's parrot can whistle the first bars of a sailors' song.",
      "What can Aunt Marit's parrot whistle?", "It can whistle", "the first bars of a sailors' song" },
    { "The ferry to Gull Rock only sails when the harbour flag is green.",
      "When does the ferry to Gull Rock sail?", "It sails", "only when the harbour flag is green" },
    { "The chess club in Brantwick meets in the back room of the lamp shop.",
      "Where does the chess club in Brantwick meet?", "It meets", "in the back room of the lamp shop" },
    { "The oldest tree in Fennick Park is a copper beech planted by a retired sea captain.",
      "What is the oldest tree in Fennick Park?", "The oldest tree is",
      "a copper beech planted by a retired sea captain" },
    { "The code to the garden shed at Willow Farm is hidden in the weather vane.",
      "Where is the code to the garden shed at Willow Farm hidden?", "It is hidden", "in the weather vane" },
    { "The choir of Saint Elm practises every Thursday in the old boathouse.",
      "When and where does the choir of Saint Elm practise?", "It practises", "every Thursday in the old boathouse" },
};

#define NEEDLE_COUNT 10

#endif
