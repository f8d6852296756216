DROP TABLE dialogue_participants;
DROP TABLE dialogues;
