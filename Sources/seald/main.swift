print("seald")
