DELETE FROM municipalities;
