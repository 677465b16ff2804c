"""What names refer to: the gazetteer of places and the knowledge base of conflict actors.

No Qt, no spaCy. Sits between ``nlp`` (which calls the linkers after suggesting spans) and
``storage`` (which keeps the links); it imports ``core`` only.
"""
