"""Printed and exported documents (PDF certificates, notices, Excel reports); Qt-free."""
